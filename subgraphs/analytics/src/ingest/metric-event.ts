import type { MetricName } from '../catalogue/metric-catalogue.ts';

/** Values travel as whole millionths (bigint), so sums of amounts of any size stay exact. */
export const microsPerUnit = 1_000_000n;

/**
 * One occurrence counted toward one metric: what the ingester makes of a source row (an
 * audit entry, a transfer, a tracked event…), before it is written to raw events and
 * rollups.
 */
export interface MetricEvent {
  organizationId: string;
  metric: MetricName;
  /** The dimension value (a token's id, an outcome…), or '' for none. */
  dimension: string;
  occurredAt: Date;
  /** In millionths of the metric's unit: 1 event of a count is 1,000,000. */
  micros: bigint;
  /** Who the event is distinct by (a visitor), for distinct metrics. */
  subject?: string | null;
  /** For a latency-like metric: the measured value, which picks the histogram bucket. */
  sample?: number;
  /** For a tracked event: its name and properties, kept with the raw event. */
  details?: unknown;
}

/** An event worth `units` whole units (default 1). */
export function metricEvent(
  organizationId: string,
  metric: MetricName,
  occurredAt: Date,
  options: { dimension?: string | null; units?: number; micros?: bigint; subject?: string | null; sample?: number } = {},
): MetricEvent {
  return {
    organizationId,
    metric,
    dimension: options.dimension ?? '',
    occurredAt,
    micros: options.micros ?? BigInt(Math.round((options.units ?? 1) * 1_000_000)),
    ...(options.subject ? { subject: options.subject } : {}),
    ...(options.sample !== undefined ? { sample: options.sample } : {}),
  };
}
