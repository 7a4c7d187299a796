import { parseInput } from '@token-nexus/shared';
import type { AnalyticsContext } from '../context.ts';
import type { MetricSeriesModel, MetricStatistic, MetricSummaryModel } from '../models.ts';
import { policy } from '../policy.ts';
import {
  organizationId as organizationIdSchema,
  requireDimension,
  requireMetric,
  requirePeriod,
  requirePointLimit,
  requireWholeHourOffsets,
  requireWithinRetention,
  resolveTimeRange,
  type MetricInterval,
} from '../validation/metric-query.ts';
import { BadUserInputError } from '@token-nexus/shared';
import { metricSeries } from './metric-series.ts';
import { metricSummary } from './metric-summary.ts';
import { resolveTimeZone } from './time-zone-names.ts';

export interface TimeRangeArgs {
  from?: Date | string | null;
  to?: Date | string | null;
  last?: string | null;
}

/** `metricSummary`: checks the arguments and the caller, then reads. */
export async function readMetricSummary(
  ctx: AnalyticsContext,
  args: { orgId: string; name: string; range: TimeRangeArgs; dimension?: string | null },
): Promise<MetricSummaryModel> {
  const organizationId = parseInput(organizationIdSchema, args.orgId, 'orgId');
  const metric = requireMetric(args.name);
  const dimension = requireDimension(metric, args.dimension);
  const period = resolveTimeRange(args.range, new Date());
  const length = period.to.getTime() - period.from.getTime();
  requireWithinRetention(metric, { from: new Date(period.from.getTime() - length), to: period.to }, ctx.raw.retainedSince(new Date()), ctx.raw.retentionDays);
  await policy.assertCanReadMetrics(ctx, organizationId);
  return metricSummary(ctx, { organizationId, metric, period, dimension });
}

/** A statistic that applies to the metric (percentiles and means only to histograms). */
export function requireStatistic(aggregation: string, statistic: MetricStatistic | null | undefined, field = 'statistic'): MetricStatistic {
  if (!statistic) return aggregation === 'HISTOGRAM' ? 'P95' : 'VALUE';
  if (statistic !== 'VALUE' && aggregation !== 'HISTOGRAM') {
    throw new BadUserInputError(`${statistic} applies only to histogram metrics; this one takes VALUE.`, { field });
  }
  return statistic;
}

/** `metricSeries`: checks the arguments and the caller, then reads. */
export async function readMetricSeries(
  ctx: AnalyticsContext,
  args: {
    orgId: string;
    name: string;
    from: Date | string;
    to: Date | string;
    interval: MetricInterval;
    dimension?: string | null;
    top?: number | null;
    timeZone?: string | null;
    statistic?: MetricStatistic | null;
  },
): Promise<MetricSeriesModel[]> {
  const organizationId = parseInput(organizationIdSchema, args.orgId, 'orgId');
  const metric = requireMetric(args.name);
  const dimension = requireDimension(metric, args.dimension);
  const top = args.top ?? 5;
  if (!Number.isInteger(top) || top < 1 || top > 20) throw new BadUserInputError('top: from 1 to 20.', { field: 'top' });
  const timeZone = await resolveTimeZone(ctx.prisma, args.timeZone);
  const period = requirePeriod(new Date(args.from), new Date(args.to), 'from');
  requireWholeHourOffsets(timeZone, period);
  requirePointLimit(period, args.interval);
  requireWithinRetention(metric, period, ctx.raw.retainedSince(new Date()), ctx.raw.retentionDays);
  const statistic = requireStatistic(metric.aggregation, args.statistic);
  await policy.assertCanReadMetrics(ctx, organizationId);
  return metricSeries(ctx, { organizationId, metric, period, interval: args.interval, dimension, top, timeZone, statistic });
}
