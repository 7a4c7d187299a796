import { bucketOf, histogramSize } from '@token-nexus/shared';
import { findMetric } from '../catalogue/metric-catalogue.ts';
import type { MetricEvent } from './metric-event.ts';
import type { IngestTransaction } from './sources/ingest-source.ts';

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

/** One rollup row's increment. */
interface RollupIncrement {
  organizationId: string;
  metric: string;
  grain: 'HOUR' | 'DAY';
  bucket: Date;
  /** '' for the metric's total, else the dimension (`token`) whose value `dimension` is. */
  dimensionName: string;
  dimension: string;
  micros: bigint;
  count: bigint;
  histogram: bigint[] | null;
}

/** A rollup row as it stands after a round, for live updates. */
export interface RollupTotal {
  organizationId: string;
  metric: string;
  grain: 'HOUR' | 'DAY';
  bucket: Date;
  value: number;
}

/**
 * Adds events up into hourly and UTC-daily increments, each for the metric's total
 * (dimension '') and for each of the event's dimension values (`token=<id>`). Metrics counted only
 * from raw events (distinct) have no rollups.
 */
export function rollupIncrements(events: readonly MetricEvent[]): RollupIncrement[] {
  const increments = new Map<string, RollupIncrement>();
  const add = (event: MetricEvent, grain: 'HOUR' | 'DAY', bucket: number, keyed: string, histogram: boolean) => {
    const key = `${event.organizationId}|${event.metric}|${grain}|${bucket}|${keyed}`;
    let increment = increments.get(key);
    if (!increment) {
      const split = keyed.indexOf('=');
      increment = {
        organizationId: event.organizationId,
        metric: event.metric,
        grain,
        bucket: new Date(bucket),
        dimensionName: split === -1 ? '' : keyed.slice(0, split),
        dimension: split === -1 ? '' : keyed.slice(split + 1),
        micros: 0n,
        count: 0n,
        histogram: histogram ? new Array<bigint>(histogramSize).fill(0n) : null,
      };
      increments.set(key, increment);
    }
    increment.micros += event.micros;
    if (event.histogram) {
      increment.count += event.histogram.reduce((sum, count) => sum + count, 0n);
      if (increment.histogram) {
        const total = increment.histogram;
        event.histogram.forEach((count, index) => {
          if (index < histogramSize) total[index] = total[index]! + count;
        });
      }
    } else {
      increment.count += 1n;
      if (increment.histogram && event.sample !== undefined) {
        const index = bucketOf(event.sample);
        increment.histogram[index] = increment.histogram[index]! + 1n;
      }
    }
  };
  for (const event of events) {
    const metric = findMetric(event.metric);
    if (!metric || metric.aggregation === 'DISTINCT') continue;
    const histogram = metric.aggregation === 'HISTOGRAM';
    const time = event.occurredAt.getTime();
    const hour = time - (((time % hourMs) + hourMs) % hourMs);
    const day = time - (((time % dayMs) + dayMs) % dayMs);
    for (const dimension of ['', ...event.dimensions]) {
      add(event, 'HOUR', hour, dimension, histogram);
      add(event, 'DAY', day, dimension, histogram);
    }
  }
  return [...increments.values()];
}

/** Millionths as a decimal string (`-1500000` → `-1.5`). */
export function microsToDecimal(micros: bigint): string {
  const negative = micros < 0n;
  const digits = (negative ? -micros : micros).toString().padStart(7, '0');
  const whole = digits.slice(0, -6);
  const fraction = digits.slice(-6).replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/**
 * Adds the events to the rollups in one statement, and returns the totals (dimension '')
 * they moved, as they stand after it.
 */
export async function writeRollups(tx: IngestTransaction, events: readonly MetricEvent[]): Promise<RollupTotal[]> {
  const increments = rollupIncrements(events);
  if (increments.length === 0) return [];
  const column = <T>(pick: (increment: RollupIncrement) => T) => increments.map(pick);
  const rows = await tx.$queryRaw<{ organizationId: string; metric: string; grain: 'HOUR' | 'DAY'; bucket: Date; value: string }[]>`/* analytics:background */
    WITH upserted AS (
      INSERT INTO analytics.rollups AS r (organization_id, metric, grain, dimension_name, bucket, dimension, value, count, histogram)
      SELECT i.org, i.metric, i.grain::analytics."RollupGrain", i.dimension_name, i.bucket, i.dimension, i.value, i.count,
        CASE WHEN i.histogram = '' THEN ARRAY[]::bigint[] ELSE string_to_array(i.histogram, ',')::bigint[] END
      FROM unnest(${column((i) => i.organizationId)}::uuid[], ${column((i) => i.metric)}::text[], ${column((i) => i.grain)}::text[],
        ${column((i) => i.dimensionName)}::text[], ${column((i) => i.bucket)}::timestamptz[], ${column((i) => i.dimension)}::text[],
        ${column((i) => microsToDecimal(i.micros))}::numeric[], ${column((i) => i.count)}::bigint[],
        ${column((i) => i.histogram?.join(',') ?? '')}::text[])
        AS i(org, metric, grain, dimension_name, bucket, dimension, value, count, histogram)
      ON CONFLICT (organization_id, metric, grain, dimension_name, bucket, dimension) DO UPDATE SET
        value = r.value + excluded.value,
        count = r.count + excluded.count,
        histogram = CASE
          WHEN cardinality(excluded.histogram) = 0 THEN r.histogram
          WHEN cardinality(r.histogram) = 0 THEN excluded.histogram
          ELSE ARRAY(SELECT a + b FROM unnest(r.histogram, excluded.histogram) WITH ORDINALITY AS h(a, b, i) ORDER BY i)
        END
      RETURNING organization_id, metric, grain, bucket, dimension_name, value
    )
    SELECT organization_id::text AS "organizationId", metric, grain::text AS grain, bucket, value::text
    FROM upserted WHERE dimension_name = ''`;
  return rows.map((row) => ({ ...row, value: Number(row.value) }));
}
