import { findMetric, type MetricName } from '../catalogue/metric-catalogue.ts';

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
  /**
   * The event's dimension values, each as `<dimension>=<value>` (`token=<id>`,
   * `outcome=delivered`): the rollups keep a row for each, beside the total.
   */
  dimensions: string[];
  occurredAt: Date;
  /** In millionths of the metric's unit: 1 event of a count is 1,000,000. */
  micros: bigint;
  /** Who the event is distinct by (a visitor), for distinct metrics. */
  subject?: string | null;
  /** For a latency-like metric: the measured value, which picks the histogram bucket. */
  sample?: number;
  /**
   * For a latency-like metric reported already counted into the histogram's buckets (the
   * gateway's operations of one minute): the count per bucket. The event then stands for
   * all of them: its count is their sum, `micros` their total.
   */
  histogram?: bigint[];
  /** For a tracked event: its name and properties, kept with the raw event. */
  details?: unknown;
}

/** A dimension value as the rollups key it: `token=<id>`. */
export function dimensionKey(dimension: string, value: string): string {
  return `${dimension}=${value}`;
}

/**
 * An event worth `units` whole units (default 1). `dimension` is the value of the
 * metric's first dimension (the usual case); `dimensions` names them all.
 */
export function metricEvent(
  organizationId: string,
  metric: MetricName,
  occurredAt: Date,
  options: {
    dimension?: string | null;
    dimensions?: Record<string, string>;
    units?: number;
    micros?: bigint;
    subject?: string | null;
    sample?: number;
  } = {},
): MetricEvent {
  const first = findMetric(metric)?.dimensions[0];
  const values = options.dimensions ?? (first && options.dimension ? { [first]: options.dimension } : {});
  return {
    organizationId,
    metric,
    dimensions: Object.entries(values).map(([dimension, value]) => dimensionKey(dimension, value)),
    occurredAt,
    micros: options.micros ?? BigInt(Math.round((options.units ?? 1) * 1_000_000)),
    ...(options.subject ? { subject: options.subject } : {}),
    ...(options.sample !== undefined ? { sample: options.sample } : {}),
  };
}
