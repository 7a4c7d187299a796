import type { MetricDefinition } from '../catalogue/metric-catalogue.ts';
import type { AnalyticsContext } from '../context.ts';
import type { MetricBreakdownModel, MetricSummaryModel } from '../models.ts';
import { ceilToHour, floorToHour, type Period } from '../validation/metric-query.ts';
import { byDimension, percentilesOf, round, valueOf } from './metric-values.ts';
import type { RollupRequest } from './rollup-query.ts';

const breakdownSize = 20;

/**
 * A metric over a period (widened to the whole hours it touches) and over the period of
 * the same length just before, with the change, and (with a dimension) the largest values by dimension value. Reads through the
 * request's rollups loader, so many summaries share one statement.
 */
export async function metricSummary(
  ctx: AnalyticsContext,
  args: { organizationId: string; metric: MetricDefinition; period: Period; dimension: string | null },
): Promise<MetricSummaryModel> {
  const { metric } = args;
  // Metrics are kept per hour: the period read is the whole hours it touches (and says so).
  const period = { from: floorToHour(args.period.from), to: ceilToHour(args.period.to) };
  const length = period.to.getTime() - period.from.getTime();
  const previous = { from: new Date(period.from.getTime() - length), to: period.from };
  const request = (window: Period, split: string | null): RollupRequest => ({
    organizationId: args.organizationId,
    metric: metric.name,
    aggregation: metric.aggregation,
    unit: 'all',
    timeZone: 'UTC',
    from: window.from,
    to: window.to,
    split,
  });
  const split = args.dimension;
  const [current, before, currentSplit, beforeSplit] = await Promise.all([
    ctx.loaders.rollups.load(request(period, null)),
    ctx.loaders.rollups.load(request(previous, null)),
    split ? ctx.loaders.rollups.load(request(period, split)) : undefined,
    split ? ctx.loaders.rollups.load(request(previous, split)) : undefined,
  ]);
  const value = valueOf(metric, current.rows, 'VALUE', current.base.get('') ?? 0);
  const previousValue = valueOf(metric, before.rows, 'VALUE', before.base.get('') ?? 0);
  const change = round(value - previousValue);
  return {
    metric,
    from: period.from,
    to: period.to,
    value,
    previousValue,
    change,
    changeRatio: previousValue === 0 ? null : change / previousValue,
    ...percentilesOf(metric, current.rows),
    breakdown: currentSplit && beforeSplit ? breakdown(metric, currentSplit, beforeSplit) : [],
  };
}

function breakdown(
  metric: MetricDefinition,
  current: { rows: Parameters<typeof byDimension>[0]; base: Map<string, number> },
  previous: { rows: Parameters<typeof byDimension>[0]; base: Map<string, number> },
): MetricBreakdownModel[] {
  const now = byDimension(current.rows);
  const then = byDimension(previous.rows);
  const keys = new Set([...now.keys(), ...current.base.keys()]);
  return [...keys]
    .map((key) => ({
      key,
      value: valueOf(metric, now.get(key) ?? [], 'VALUE', current.base.get(key) ?? 0),
      previousValue: valueOf(metric, then.get(key) ?? [], 'VALUE', previous.base.get(key) ?? 0),
    }))
    .filter((item) => item.value !== 0 || item.previousValue !== 0)
    .sort((a, b) => b.value - a.value || a.key.localeCompare(b.key))
    .slice(0, breakdownSize);
}
