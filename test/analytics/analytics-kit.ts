import { isDeepStrictEqual } from 'node:util';
import type pg from 'pg';
import type { GraphQLClient, GraphQLResponse } from '../testkit/client.ts';

/**
 * What the analytics tests share: the two read queries, polling helpers (the ingester
 * counts in the background, every ~100 ms in these tests) and checks on what analytics
 * stored. Metrics are always read through the gateway, as a dashboard reads them.
 */

export const summaryQuery = `query ($orgId: ID!, $name: String!, $range: TimeRangeInput!, $dimension: String) {
  metricSummary(orgId: $orgId, name: $name, range: $range, dimension: $dimension) {
    metric { name unit aggregation dimensions }
    from to value previousValue change changeRatio p50 p95 p99
    breakdown { key value previousValue }
  }
}`;

export const seriesQuery = `query ($orgId: ID!, $name: String!, $from: DateTime!, $to: DateTime!, $interval: MetricInterval!,
  $dimension: String, $top: Int, $timeZone: String, $statistic: MetricStatistic) {
  metricSeries(orgId: $orgId, name: $name, from: $from, to: $to, interval: $interval, dimension: $dimension, top: $top,
    timeZone: $timeZone, statistic: $statistic) {
    metric dimension key label unit statistic interval timeZone points { t v } total
  }
}`;

export const trackMutation = `mutation ($input: TrackEventInput!) { trackEvent(input: $input) }`;

export interface Summary {
  metric: { name: string; unit: string; aggregation: string; dimensions: string[] };
  from: string;
  to: string;
  value: number;
  previousValue: number;
  change: number;
  changeRatio: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  breakdown: { key: string; value: number; previousValue: number }[];
}

export interface Series {
  metric: string;
  dimension: string | null;
  key: string | null;
  label: string;
  unit: string;
  statistic: string;
  interval: string;
  timeZone: string;
  points: { t: string; v: number }[];
  total: number;
}

export const hourMs = 3_600_000;
export const dayMs = 24 * hourMs;

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Reads until `done` holds or the time is up; returns the last value read either way. */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value) && Date.now() < until) {
    await sleep(100);
    value = await read();
  }
  return value;
}

/**
 * Reads until the value is `expected`, then once more after several ingest rounds, so
 * that a value that goes on past it (counted twice) shows too. Returns that last read:
 * assert it equals `expected`.
 */
export async function settled<T>(read: () => Promise<T>, expected: T, timeoutMs = 20_000): Promise<T> {
  await eventually(read, (value) => isDeepStrictEqual(value, expected), timeoutMs);
  await sleep(800);
  return read();
}

/** A summary's breakdown as `{ key: value }`. */
export function byKey(summary: Pick<Summary, 'breakdown'>): Record<string, number> {
  return Object.fromEntries(summary.breakdown.map((item) => [item.key, item.value]));
}

/** The metric reads of one organization, as `client` (a member) makes them. */
export function metricsOf(client: GraphQLClient, orgId: string) {
  const summary = async (name: string, options: { range?: Record<string, unknown>; dimension?: string } = {}): Promise<Summary> =>
    (await client.data<{ metricSummary: Summary }>(summaryQuery, {
      orgId,
      name,
      range: options.range ?? { last: '1d' },
      dimension: options.dimension ?? null,
    })).metricSummary;
  return {
    summary,
    /** The metric's value over the last day. */
    value: async (name: string, range?: Record<string, unknown>) => (await summary(name, range ? { range } : {})).value,
    /** The metric's value over the last day by dimension value, as `{ key: value }`. */
    breakdown: async (name: string, dimension: string, range?: Record<string, unknown>) =>
      byKey(await summary(name, { dimension, ...(range ? { range } : {}) })),
    series: async (variables: {
      name: string;
      from: Date | string;
      to: Date | string;
      interval: 'HOUR' | 'DAY' | 'WEEK' | 'MONTH';
      dimension?: string;
      top?: number;
      timeZone?: string;
      statistic?: string;
    }): Promise<Series[]> =>
      (await client.data<{ metricSeries: Series[] }>(seriesQuery, {
        orgId,
        ...variables,
        from: new Date(variables.from).toISOString(),
        to: new Date(variables.to).toISOString(),
      })).metricSeries,
  };
}

/** The start of the UTC hour holding `at`. */
export function hourStart(at: Date | number): Date {
  const time = new Date(at).getTime();
  return new Date(time - (time % hourMs));
}

/** The start of the UTC day holding `at`. */
export function utcDayStart(at: Date | number): Date {
  const time = new Date(at).getTime();
  return new Date(time - (time % dayMs));
}

/**
 * Checks the shape every series has whatever its data: one point per interval, in order,
 * each `step` after the one before, the first at `first`, none missing.
 */
export function expectContiguous(points: { t: string }[], first: Date, step: number, count: number): string[] {
  const problems: string[] = [];
  if (points.length !== count) problems.push(`expected ${count} points, got ${points.length}`);
  points.forEach((point, index) => {
    const expected = new Date(first.getTime() + index * step).toISOString();
    if (new Date(point.t).toISOString() !== expected) problems.push(`point ${index} at ${point.t}, expected ${expected}`);
  });
  return problems;
}

/** The `extensions.code` of the first error, and its message. */
export function refusal(response: GraphQLResponse): { code: string | undefined; message: string | undefined } {
  return { code: response.errors?.[0]?.extensions?.code as string | undefined, message: response.errors?.[0]?.message };
}

/** The metrics trackEvent records (other events, e.g. the gateway's request counts, share its tables). */
const trackedMetrics = ['events.tracked', 'cms.page.views', 'cms.page.visitors'];

/**
 * What analytics holds of an organization's tracked events: those waiting for the
 * ingester (analytics.pending_events) and those it stored as raw events. A refused event
 * must leave both untouched.
 */
export async function storedEvents(db: pg.Client, orgId: string): Promise<{ pending: number; raw: number }> {
  const pending = await db.query(
    'SELECT count(*)::int AS n FROM analytics.pending_events WHERE organization_id = $1 AND metric = ANY($2::text[])',
    [orgId, trackedMetrics],
  );
  const raw = await db.query('SELECT count(*)::int AS n FROM analytics_raw.events WHERE organization_id = $1 AND metric = ANY($2::text[])', [
    orgId,
    trackedMetrics,
  ]);
  return { pending: pending.rows[0].n, raw: raw.rows[0].n };
}
