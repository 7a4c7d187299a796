import { findMetric, type MetricName } from '../catalogue/metric-catalogue.ts';
import { platformOrganizationId } from '../catalogue/platform-organization.ts';
import type { AnalyticsContext } from '../context.ts';
import { ceilToHour, floorToHour, type Period } from '../validation/metric-query.ts';
import type { RollupAnswer } from './rollup-query.ts';

/** The gateway's operations as analytics keeps them, over one period. */
export interface PerformanceRollups {
  /** The period read: the whole hours the one asked for touches. */
  period: Period;
  /** `api.latency`: per row, how many operations (`count`), their durations' total (`value`) and histogram. */
  latency: RollupAnswer;
  /** `api.errors`: operations answered with errors (`value`). */
  errors: RollupAnswer;
  /** `api.failures`: operations answered with a server-side failure (`value`). */
  failures: RollupAnswer;
}

const metrics = ['api.latency', 'api.errors', 'api.failures'] as const satisfies readonly MetricName[];

/**
 * Reads the three metrics the gateway's operations are kept in, for an organization or
 * (`organizationId` null) the whole platform, over the whole hours the period touches,
 * in total or `split` by operation. Through the request's rollups loader: one statement.
 *
 * The gateway reports per minute (and the raw events keep those minutes for the retention
 * period), but the rollups keep hours and days, as for every metric: a service level or
 * a p95 is read over hours to months, where minute rows would add nothing but 60 times
 * the rows, kept for good. The histograms merge exactly, so an hour's p95 is the p95 of
 * its minutes.
 */
export async function readPerformanceRollups(
  ctx: AnalyticsContext,
  args: { organizationId: string | null; period: Period; split: 'operation' | null },
): Promise<PerformanceRollups> {
  // Kept per hour: the period read is the whole hours it touches (and the answers say so).
  const period = { from: floorToHour(args.period.from), to: ceilToHour(args.period.to) };
  const [latency, errors, failures] = await Promise.all(
    metrics.map((name) =>
      ctx.loaders.rollups.load({
        organizationId: args.organizationId ?? platformOrganizationId,
        metric: name,
        aggregation: findMetric(name)!.aggregation,
        unit: 'all',
        timeZone: 'UTC',
        from: period.from,
        to: period.to,
        split: args.split,
      }),
    ),
  );
  return { period, latency: latency!, errors: errors!, failures: failures! };
}
