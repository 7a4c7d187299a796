import { mergeHistograms, quantile } from '@token-nexus/shared';
import type { MetricDefinition } from '../catalogue/metric-catalogue.ts';
import type { MetricStatistic } from '../models.ts';
import type { RollupAnswer } from './rollup-query.ts';

type Row = RollupAnswer['rows'][number];

/**
 * A set of rows (one period, one dimension value) as one number, the way the metric adds
 * up: a sum or count adds; a histogram gives its event count or a statistic; a distinct
 * metric's row already holds its count; a gauge's level is its level before plus its
 * changes (`base`).
 */
export function valueOf(metric: MetricDefinition, rows: readonly Row[], statistic: MetricStatistic, base = 0): number {
  if (metric.aggregation === 'HISTOGRAM') {
    const count = rows.reduce((sum, row) => sum + row.count, 0);
    if (statistic === 'VALUE') return count;
    if (statistic === 'MEAN') return count === 0 ? 0 : rows.reduce((sum, row) => sum + row.value, 0) / count;
    const q = { P50: 0.5, P95: 0.95, P99: 0.99 }[statistic];
    return quantile(mergeHistograms(rows.map((row) => row.histogram)), q) ?? 0;
  }
  const sum = rows.reduce((total, row) => total + row.value, 0);
  return metric.aggregation === 'GAUGE' ? base + sum : round(sum);
}

/** The percentiles of a histogram metric's rows (nulls for other metrics or no events). */
export function percentilesOf(metric: MetricDefinition, rows: readonly Row[]) {
  if (metric.aggregation !== 'HISTOGRAM') return { p50: null, p95: null, p99: null };
  const merged = mergeHistograms(rows.map((row) => row.histogram));
  return { p50: quantile(merged, 0.5), p95: quantile(merged, 0.95), p99: quantile(merged, 0.99) };
}

/** Sums of decimals as floats drift in the last digits; values have at most 6 decimals. */
export function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/** Rows grouped by dimension value. */
export function byDimension(rows: readonly Row[]): Map<string, Row[]> {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const group = groups.get(row.dimension) ?? [];
    group.push(row);
    groups.set(row.dimension, group);
  }
  return groups;
}
