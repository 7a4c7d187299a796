import { histogramSize } from '@token-nexus/shared';
import { findMetric, type MetricName } from '../../catalogue/metric-catalogue.ts';
import type { MetricEvent } from '../metric-event.ts';
import type { IngestSource } from './ingest-source.ts';

/**
 * The bucket counts a row of a histogram metric carries in `details.histogram` (the
 * gateway's operations of a minute, see the API usage route); undefined for any other row.
 */
export function reportedHistogram(metric: string, details: unknown): bigint[] | undefined {
  if (findMetric(metric)?.aggregation !== 'HISTOGRAM') return undefined;
  const counts = (details as { histogram?: unknown } | null)?.histogram;
  if (!Array.isArray(counts) || counts.length !== histogramSize || !counts.every((count) => Number.isSafeInteger(count) && count >= 0)) {
    return undefined;
  }
  return counts.map((count: number) => BigInt(count));
}

/**
 * Events recorded outside the audit trail (`trackEvent`, the gateway's request counts),
 * taken from analytics.pending_events and deleted in the round's transaction. They exist
 * nowhere else, so they are also kept as raw events. A row's dimension is already keyed
 * (`page=<id>`), as its writer stored it; a histogram metric's row may carry its bucket
 * counts (`details.histogram`) and stand for all of them.
 */
export const pendingEventsSource: IngestSource = {
  name: 'pending',
  async read(tx, limit) {
    const rows = await tx.$queryRaw<
      { organizationId: string; metric: string; dimension: string; micros: string; occurredAt: Date; subject: string | null; details: unknown }[]
    >`/* analytics:background */
      DELETE FROM analytics.pending_events
      WHERE id IN (SELECT id FROM analytics.pending_events ORDER BY received_at LIMIT ${limit} FOR UPDATE SKIP LOCKED)
      RETURNING organization_id::text AS "organizationId", metric, dimension, (value * 1000000)::bigint::text AS micros,
        occurred_at AS "occurredAt", subject, details`;
    const events: MetricEvent[] = rows.map((row) => {
      const histogram = reportedHistogram(row.metric, row.details);
      return {
        organizationId: row.organizationId,
        metric: row.metric as MetricName,
        dimensions: row.dimension === '' ? [] : [row.dimension],
        occurredAt: row.occurredAt,
        micros: BigInt(row.micros),
        subject: row.subject,
        details: row.details,
        ...(histogram ? { histogram } : {}),
      };
    });
    return { events, rawEvents: events, full: rows.length >= limit };
  },
};
