import { metricEvent, type MetricEvent } from '../metric-event.ts';
import type { IngestSource } from './ingest-source.ts';
import { lookBackFrom, markCounted, newestOf, readTimeCursor } from './look-back.ts';

const source = 'integrations.webhook_attempt';

/** `delivered` for a 2xx answer, `rejected` for another status, `unreachable` for none. */
export function deliveryOutcome(statusCode: number | null): 'delivered' | 'rejected' | 'unreachable' {
  if (statusCode === null) return 'unreachable';
  return statusCode >= 200 && statusCode < 300 ? 'delivered' : 'rejected';
}

/** Every webhook delivery attempt: one in `webhooks.deliveries` and its latency in `webhooks.latency`, by outcome. */
export const webhookAttemptsSource: IngestSource = {
  name: source,
  async read(tx, limit) {
    const from = lookBackFrom(await readTimeCursor(tx, source));
    const rows = await tx.$queryRaw<
      { id: string; organizationId: string; statusCode: number | null; latencyMs: number; createdAt: Date }[]
    >`/* analytics:background */
      SELECT a.id::text, e.organization_id::text AS "organizationId", a.status_code AS "statusCode",
        a.latency_ms AS "latencyMs", a.created_at AS "createdAt"
      FROM integrations.webhook_attempts a
      JOIN integrations.webhook_deliveries d ON d.id = a.delivery_id
      JOIN integrations.webhook_endpoints e ON e.id = d.endpoint_id
      WHERE a.created_at >= ${from}
        AND NOT EXISTS (SELECT 1 FROM analytics.counted_rows c WHERE c.source = ${source} AND c.row_id = a.id::text)
      ORDER BY a.created_at
      LIMIT ${limit}`;
    const events: MetricEvent[] = rows.flatMap((row) => {
      const outcome = deliveryOutcome(row.statusCode);
      return [
        metricEvent(row.organizationId, 'webhooks.deliveries', row.createdAt, { dimension: outcome }),
        metricEvent(row.organizationId, 'webhooks.latency', row.createdAt, {
          dimension: outcome,
          units: row.latencyMs,
          sample: row.latencyMs,
        }),
      ];
    });
    await markCounted(tx, source, rows.map((row) => row.id), newestOf(rows.map((row) => row.createdAt)));
    return { events, full: rows.length >= limit };
  },
};
