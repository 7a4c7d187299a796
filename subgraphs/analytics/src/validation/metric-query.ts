import { BadUserInputError } from '@token-nexus/shared';
import { z } from 'zod';
import { findMetric, isRawOnly, metricCatalogue, type MetricDefinition } from '../catalogue/metric-catalogue.ts';

export const maxPointsPerSeries = 2_000;
const maxRangeDays = 400;
const dayMs = 86_400_000;
const unitMs = { HOUR: 3_600_000, DAY: dayMs, WEEK: 7 * dayMs, MONTH: 28 * dayMs } as const;

export type MetricInterval = keyof typeof unitMs;

export const organizationId = z.uuid('must be an organization id returned by this API');

/** The metric a name names, or BAD_USER_INPUT listing the valid names. */
export function requireMetric(name: string, field = 'name'): MetricDefinition {
  const metric = findMetric(name);
  if (metric) return metric;
  throw new BadUserInputError(
    `Unknown metric "${name}". Valid names: ${metricCatalogue.map((m) => m.name).join(', ')}.`,
    { field },
  );
}

/** The dimension if the metric has it, or BAD_USER_INPUT listing the metric's dimensions. */
export function requireDimension(metric: MetricDefinition, dimension: string | null | undefined, field = 'dimension'): string | null {
  if (dimension === null || dimension === undefined) return null;
  if (metric.dimensions.includes(dimension)) return dimension;
  const valid = metric.dimensions.length > 0 ? `Valid dimensions: ${metric.dimensions.join(', ')}.` : 'It has no dimensions.';
  throw new BadUserInputError(`Metric "${metric.name}" has no dimension "${dimension}". ${valid}`, { field });
}

const hourMs = 3_600_000;

/** The start of the hour holding `at` (UTC hours: every zone this API accepts shares them). */
export function floorToHour(at: Date): Date {
  return new Date(Math.floor(at.getTime() / hourMs) * hourMs);
}

/** The end of the hour holding the instant just before `at` (`at` itself when on the hour). */
export function ceilToHour(at: Date): Date {
  return new Date(Math.ceil(at.getTime() / hourMs) * hourMs);
}

/**
 * An IANA time zone name that Node and Postgres both know, or BAD_USER_INPUT. `known` is
 * Postgres' list of zone names (pg_timezone_names); names Node knows and Postgres does not
 * (e.g. `US/Pacific-New`, long retired) are refused rather than failing in SQL.
 */
export function requireTimeZone(timeZone: string | null | undefined, known: ReadonlySet<string>, field = 'timeZone'): string {
  if (timeZone === null || timeZone === undefined || timeZone === 'UTC') return 'UTC';
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    if (known.has(timeZone)) return timeZone;
  } catch {
    // falls through to the error below
  }
  throw new BadUserInputError(`"${timeZone}" is not an IANA time zone name (e.g. "Europe/Berlin", "UTC").`, { field });
}

/** The zone's offset from UTC at an instant, in minutes. */
function offsetMinutes(timeZone: string, at: Date): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
    .formatToParts(at)
    .find((part) => part.type === 'timeZoneName')?.value;
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name ?? '');
  return match ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) : 0;
}

/**
 * BAD_USER_INPUT when the zone is not a whole number of hours off UTC during the period
 * (India, Iran, Nepal, Newfoundland, central Australia…): metrics are kept per UTC hour, so
 * such a zone's days and hours would each mix in parts of their neighbours. Checked every
 * two weeks over the period (offsets change only twice a year) and at its end.
 */
export function requireWholeHourOffsets(timeZone: string, period: Period, field = 'timeZone'): void {
  if (timeZone === 'UTC') return;
  const step = 14 * dayMs;
  for (let at = period.from.getTime(); ; at = Math.min(at + step, period.to.getTime())) {
    if (offsetMinutes(timeZone, new Date(at)) % 60 !== 0) {
      throw new BadUserInputError(
        `"${timeZone}" is not a whole number of hours off UTC: metrics are kept per UTC hour, so its days and hours cannot be told apart exactly. Use UTC or a zone a whole number of hours off it.`,
        { field },
      );
    }
    if (at >= period.to.getTime()) return;
  }
}

export interface Period {
  from: Date;
  to: Date;
}

/** A period of at most 400 days with `from` before `to`, or BAD_USER_INPUT. */
export function requirePeriod(from: Date, to: Date, field: string): Period {
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) {
    throw new BadUserInputError(`${field}: from and to must be valid times.`, { field });
  }
  if (from.getTime() >= to.getTime()) {
    throw new BadUserInputError(`${field}: \`from\` must be before \`to\`.`, { field });
  }
  if (to.getTime() - from.getTime() > maxRangeDays * dayMs) {
    throw new BadUserInputError(`${field}: a period is at most ${maxRangeDays} days.`, { field });
  }
  return { from, to };
}

/** `{ from, to }` or `{ last: "7d" }` as a period ending now, or BAD_USER_INPUT. */
export function resolveTimeRange(
  range: { from?: Date | string | null; to?: Date | string | null; last?: string | null },
  now: Date,
  field = 'range',
): Period {
  if (range.last !== null && range.last !== undefined) {
    if (range.from || range.to) throw new BadUserInputError(`${field}: give either \`last\` or \`from\` and \`to\`, not both.`, { field });
    const match = /^(\d{1,5})(h|d)$/.exec(range.last);
    if (!match || Number(match[1]) < 1) {
      throw new BadUserInputError(`${field}.last: a whole number of hours or days, e.g. "24h", "7d", "90d".`, { field: `${field}.last` });
    }
    const ms = Number(match[1]) * (match[2] === 'h' ? 3_600_000 : dayMs);
    return requirePeriod(new Date(now.getTime() - ms), now, field);
  }
  if (!range.from || !range.to) {
    throw new BadUserInputError(`${field}: give \`from\` and \`to\`, or \`last\`.`, { field });
  }
  return requirePeriod(new Date(range.from), new Date(range.to), field);
}

/** BAD_USER_INPUT when a series would hold more than 2,000 points. */
export function requirePointLimit(period: Period, interval: MetricInterval, field = 'interval'): void {
  // Hours are counted exactly (whole hours from the one holding `from`); the longer
  // intervals can only come near the limit beyond the 400 days a period may last.
  const start = interval === 'HOUR' ? floorToHour(period.from).getTime() : period.from.getTime();
  const points = Math.ceil((period.to.getTime() - start) / unitMs[interval]) + (interval === 'HOUR' ? 0 : 1);
  if (points > maxPointsPerSeries) {
    throw new BadUserInputError(
      `A series holds at most ${maxPointsPerSeries} points: ${interval.toLowerCase()} points over this period would be about ${points}. Use a longer interval or a shorter period.`,
      { field },
    );
  }
}

/** BAD_USER_INPUT when a metric counted from raw events is asked about before they are kept. */
export function requireWithinRetention(metric: MetricDefinition, period: Period, retainedSince: Date, retentionDays: number): void {
  if (isRawOnly(metric) && period.from.getTime() < retainedSince.getTime()) {
    throw new BadUserInputError(
      `"${metric.name}" is counted from raw events, which are kept ${retentionDays} days: the period must start at or after ${retainedSince.toISOString()}.`,
      { field: 'range' },
    );
  }
}
