import { ApiError, parseInput } from '@token-nexus/shared';
import { z } from 'zod';
import type { AnalyticsContext } from '../context.ts';
import type { MetricStatistic, WidgetDataModel } from '../models.ts';
import { policy } from '../policy.ts';
import {
  organizationId as organizationIdSchema,
  requireDimension,
  requireMetric,
  requirePointLimit,
  requireWholeHourOffsets,
  requireWithinRetention,
  resolveTimeRange,
  type MetricInterval,
  type Period,
} from '../validation/metric-query.ts';
import { widgetConfigSchema, widgetSchema, type WidgetConfig } from '../validation/widget-config.ts';
import { requireStatistic, type TimeRangeArgs } from './metric-reads.ts';
import { metricSeries } from './metric-series.ts';
import { metricSummary } from './metric-summary.ts';
import { resolveTimeZone } from './time-zone-names.ts';

const defaultRange = { last: '7d' };
const dayMs = 86_400_000;

/** The interval a chart of this period reads best in when its widget names none. */
function intervalFor(period: Period): MetricInterval {
  const length = period.to.getTime() - period.from.getTime();
  if (length <= 2 * dayMs) return 'HOUR';
  if (length <= 120 * dayMs) return 'DAY';
  return 'WEEK';
}

/**
 * The data of a dashboard's metric widgets (those whose `config` names a `metric`), in
 * their order. The caller must be able to read the organization's metrics. A widget whose
 * configuration is wrong gets its error and no data; the rest are computed, all their
 * reads together (one statement for the whole dashboard, however many widgets).
 */
export async function dashboardWidgetData(
  ctx: AnalyticsContext,
  layout: { orgId: string; widgets?: unknown },
  args: { range?: TimeRangeArgs | null; timeZone?: string | null },
): Promise<WidgetDataModel[]> {
  const organizationId = parseInput(organizationIdSchema, layout.orgId, 'orgId');
  const timeZone = await resolveTimeZone(ctx.prisma, args.timeZone);
  const sharedPeriod = args.range ? resolveTimeRange(args.range, new Date()) : null;
  await policy.assertCanReadMetrics(ctx, organizationId);
  const widgets = z.array(widgetSchema).catch([]).parse(layout.widgets);
  const metricWidgets = widgets.filter((widget) => widget.config && 'metric' in widget.config);
  return Promise.all(
    metricWidgets.map(async (widget): Promise<WidgetDataModel> => {
      const base = { widgetId: widget.id, type: widget.type, title: widget.title ?? null };
      try {
        const config = parseInput(widgetConfigSchema, widget.config, `widgets.${widget.id}.config`);
        return { ...base, ...(await widgetData(ctx, organizationId, config, sharedPeriod, timeZone)) };
      } catch (error) {
        if (error instanceof ApiError && (error.extensions.code === 'BAD_USER_INPUT' || error.extensions.code === 'FORBIDDEN')) {
          return {
            ...base,
            chart: null,
            metric: null,
            summary: null,
            series: [],
            error: { code: error.extensions.code, message: error.message },
          };
        }
        throw error;
      }
    }),
  );
}

async function widgetData(
  ctx: AnalyticsContext,
  organizationId: string,
  config: WidgetConfig,
  sharedPeriod: Period | null,
  timeZone: string,
): Promise<Omit<WidgetDataModel, 'widgetId' | 'type' | 'title'>> {
  const metric = requireMetric(config.metric, 'config.metric');
  const dimension = requireDimension(metric, config.dimension, 'config.dimension');
  const range = typeof config.range === 'string' ? { last: config.range } : (config.range ?? defaultRange);
  const period = sharedPeriod ?? resolveTimeRange(range, new Date(), 'config.range');
  const interval = config.interval ?? intervalFor(period);
  const chart = config.chart ?? (dimension ? 'PIE' : 'LINE');
  const statistic = requireStatistic(metric.aggregation, config.statistic as MetricStatistic | undefined, 'config.statistic');
  const length = period.to.getTime() - period.from.getTime();
  requireWithinRetention(metric, { from: new Date(period.from.getTime() - length), to: period.to }, ctx.raw.retainedSince(new Date()), ctx.raw.retentionDays);
  if (chart !== 'NUMBER') {
    requirePointLimit(period, interval, 'config.interval');
    requireWholeHourOffsets(timeZone, period);
  }
  const [summary, series] = await Promise.all([
    metricSummary(ctx, { organizationId, metric, period, dimension }),
    chart === 'NUMBER'
      ? []
      : metricSeries(ctx, { organizationId, metric, period, interval, dimension, top: config.top ?? 5, timeZone, statistic }),
  ]);
  return { chart, metric, summary, series, error: null };
}
