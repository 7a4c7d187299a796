import type { MetricDefinition } from '../catalogue/metric-catalogue.ts';
import type { AnalyticsContext } from '../context.ts';
import type { MetricSeriesModel, MetricStatistic } from '../models.ts';
import type { MetricInterval, Period } from '../validation/metric-query.ts';
import { byDimension, valueOf } from './metric-values.ts';
import type { RollupAnswer, RollupRequest } from './rollup-query.ts';

export interface SeriesArgs {
  organizationId: string;
  metric: MetricDefinition;
  period: Period;
  interval: MetricInterval;
  dimension: string | null;
  top: number;
  timeZone: string;
  statistic: MetricStatistic;
}

/** The key of the series that sums every dimension value outside the top. */
export const otherKey = '__other__';

/**
 * A metric as chart series: the total, or one series per dimension value (the `top`
 * largest over the period, then `other` for the rest). Every interval of the period has a
 * point, zero when nothing happened (a gauge carries its level on).
 */
export async function metricSeries(ctx: AnalyticsContext, args: SeriesArgs): Promise<MetricSeriesModel[]> {
  const split = args.dimension;
  const request: RollupRequest = {
    organizationId: args.organizationId,
    metric: args.metric.name,
    aggregation: args.metric.aggregation,
    unit: args.interval.toLowerCase() as RollupRequest['unit'],
    timeZone: args.timeZone,
    from: args.period.from,
    to: args.period.to,
    split,
  };
  // A distinct count over the whole period is not the sum of its points: read it whole.
  const distinct = args.metric.aggregation === 'DISTINCT';
  const [answer, whole] = await Promise.all([
    ctx.loaders.rollups.load(request),
    distinct ? ctx.loaders.rollups.load({ ...request, unit: 'all', from: args.period.from, to: args.period.to }) : undefined,
  ]);
  if (!split) return [series(args, answer, null, answer.rows, answer.base.get('') ?? 0, whole?.rows)];
  const groups = byDimension(answer.rows);
  const wholeGroups = whole ? byDimension(whole.rows) : undefined;
  const keys = new Set([...groups.keys(), ...answer.base.keys()]);
  const ranked = [...keys]
    .map((key) => {
      const rows = groups.get(key) ?? [];
      return { key, rows, base: answer.base.get(key) ?? 0, total: valueOf(args.metric, wholeGroups?.get(key) ?? rows, args.statistic, answer.base.get(key) ?? 0) };
    })
    .sort((a, b) => b.total - a.total || a.key.localeCompare(b.key));
  const top = ranked.slice(0, args.top);
  const rest = ranked.slice(args.top);
  const result = top.map((entry) => series(args, answer, entry.key, entry.rows, entry.base, wholeGroups?.get(entry.key)));
  // Distinct subjects of several values cannot be added up: no `other` for them.
  if (rest.length > 0 && !distinct) {
    const restBase = rest.reduce((sum, entry) => sum + entry.base, 0);
    result.push(series(args, answer, otherKey, rest.flatMap((entry) => entry.rows), restBase));
  }
  return result;
}

function series(
  args: SeriesArgs,
  answer: RollupAnswer,
  key: string | null,
  rows: RollupAnswer['rows'],
  base: number,
  wholeRows?: RollupAnswer['rows'],
): MetricSeriesModel {
  const bySlot = new Map<number, RollupAnswer['rows']>();
  for (const row of rows) {
    const slot = row.t!.getTime();
    bySlot.set(slot, [...(bySlot.get(slot) ?? []), row]);
  }
  const gauge = args.metric.aggregation === 'GAUGE';
  let level = base;
  const points = answer.slots.map((t) => {
    const slotRows = bySlot.get(t.getTime()) ?? [];
    if (gauge) {
      level = valueOf(args.metric, slotRows, 'VALUE', level);
      return { t, v: level };
    }
    return { t, v: valueOf(args.metric, slotRows, args.statistic) };
  });
  const total = gauge ? level : valueOf(args.metric, wholeRows ?? rows, args.statistic);
  return {
    metric: args.metric.name,
    dimension: args.dimension,
    key,
    label: key === null ? args.metric.name : key === otherKey ? 'Other' : key,
    unit: args.metric.unit,
    statistic: args.statistic,
    interval: args.interval,
    timeZone: args.timeZone,
    points,
    total,
  };
}
