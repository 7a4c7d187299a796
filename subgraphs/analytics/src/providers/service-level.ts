import { histogramBounds, mergeHistograms, quantile } from '@token-nexus/shared';
import type { AnalyticsContext } from '../context.ts';
import type { ServiceLevelModel } from '../models.ts';
import type { Period } from '../validation/metric-query.ts';
import { round } from './metric-values.ts';
import { readPerformanceRollups } from './performance-rollups.ts';

/** The platform's objectives: operations answered within 200 ms, and 99.9% of them without a server-side failure. */
export const serviceLevelObjectives = { latencyThresholdMs: 200, availabilityTarget: 0.999 } as const;

// The fast share is read exactly off the histogram only because the threshold is one of
// its bounds: every bucket up to it holds operations at or under it, none above.
const fastBuckets = histogramBounds.indexOf(serviceLevelObjectives.latencyThresholdMs) + 1;
if (fastBuckets === 0) throw new Error('the latency threshold must be a bound of the latency histogram');

/**
 * The share of the error budget left: the budget is the failures the target allows over
 * the requests, `(1 - target) × requests`; what the failures left of it, from 1 (none
 * spent, or no requests) down to 0 (spent, or overspent).
 */
export function errorBudgetRemaining(requests: number, failures: number, target: number): number {
  if (requests === 0) return 1;
  const allowed = (1 - target) * requests;
  return Math.min(1, Math.max(0, 1 - failures / allowed));
}

/**
 * The service level of an organization (or, `organizationId` null, the whole platform)
 * over the whole hours a period touches: how many operations, the share answered within
 * the latency threshold and their p95 (from the merged histograms), availability and the
 * error budget left against the target.
 */
export async function serviceLevel(
  ctx: AnalyticsContext,
  args: { organizationId: string | null; period: Period },
): Promise<ServiceLevelModel> {
  const { latencyThresholdMs, availabilityTarget } = serviceLevelObjectives;
  const rollups = await readPerformanceRollups(ctx, { ...args, split: null });
  const histogram = mergeHistograms(rollups.latency.rows.map((row) => row.histogram));
  const requests = round(rollups.latency.rows.reduce((sum, row) => sum + row.count, 0));
  const failures = round(rollups.failures.rows.reduce((sum, row) => sum + row.value, 0));
  const fast = Number(histogram.slice(0, fastBuckets).reduce((sum, count) => sum + count, 0n));
  return {
    from: rollups.period.from,
    to: rollups.period.to,
    requests,
    latencyThresholdMs,
    fastRatio: requests === 0 ? null : fast / requests,
    p95: quantile(histogram, 0.95),
    failures,
    availability: requests === 0 ? null : 1 - failures / requests,
    availabilityTarget,
    errorBudgetRemaining: errorBudgetRemaining(requests, failures, availabilityTarget),
  };
}
