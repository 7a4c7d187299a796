import { mergeHistograms, quantile } from '@token-nexus/shared';
import type { AnalyticsContext } from '../context.ts';
import type { OperationPerformanceModel } from '../models.ts';
import type { Period } from '../validation/metric-query.ts';
import { byDimension, round } from './metric-values.ts';
import { readPerformanceRollups } from './performance-rollups.ts';
import type { RollupAnswer } from './rollup-query.ts';

type Row = RollupAnswer['rows'][number];

const sumOf = (rows: readonly Row[] | undefined, pick: (row: Row) => number) =>
  round((rows ?? []).reduce((sum, row) => sum + pick(row), 0));

/**
 * The operations of an organization (or, `organizationId` null, the whole platform) over
 * the whole hours a period touches, each with its count, errors, failures and
 * percentiles from its merged histograms, the most answered first (then by name), at
 * most `first` of them.
 */
export async function operationPerformance(
  ctx: AnalyticsContext,
  args: { organizationId: string | null; period: Period; first: number },
): Promise<OperationPerformanceModel[]> {
  const rollups = await readPerformanceRollups(ctx, { ...args, split: 'operation' });
  const errors = byDimension(rollups.errors.rows);
  const failures = byDimension(rollups.failures.rows);
  const operations: OperationPerformanceModel[] = [];
  for (const [operation, rows] of byDimension(rollups.latency.rows)) {
    const count = sumOf(rows, (row) => row.count);
    if (count === 0) continue;
    const histogram = mergeHistograms(rows.map((row) => row.histogram));
    const errorCount = sumOf(errors.get(operation), (row) => row.value);
    operations.push({
      operation,
      count,
      errorCount,
      errorRate: errorCount / count,
      failureCount: sumOf(failures.get(operation), (row) => row.value),
      p50: quantile(histogram, 0.5) ?? 0,
      p95: quantile(histogram, 0.95) ?? 0,
      p99: quantile(histogram, 0.99) ?? 0,
      mean: sumOf(rows, (row) => row.value) / count,
    });
  }
  return operations
    .sort((a, b) => b.count - a.count || a.operation.localeCompare(b.operation))
    .slice(0, args.first);
}
