import { auditEntryEvents, type AuditEntryRow } from '../audit-entry-events.ts';
import type { IngestSource } from './ingest-source.ts';

const source = 'audit';

/**
 * The audit trail, read chain by chain (one chain per organization) in sequence order.
 * The writer numbers a chain's entries without gaps under a lock on the chain's head
 * that it holds until commit, so every entry up to a committed head is committed: the
 * cursor (the last sequence counted) can never step over an entry that commits late.
 */
export const auditTrailSource: IngestSource = {
  name: source,
  async read(tx, limit) {
    const behind = await tx.$queryRaw<{ chainKey: string; head: number; position: bigint }[]>`/* analytics:background */
      SELECT h.chain_key AS "chainKey", h.last_sequence AS head, COALESCE(c.position, 0) AS position
      FROM audit.chain_heads h
      LEFT JOIN analytics.ingest_cursors c ON c.source = ${source} AND c.key = h.chain_key
      WHERE h.chain_key <> 'platform' AND h.last_sequence > COALESCE(c.position, 0)
      ORDER BY c.updated_at NULLS FIRST, h.chain_key
      LIMIT 1000`;
    if (behind.length === 0) return { events: [], full: false };
    const windows: { chainKey: string; after: number; upTo: number }[] = [];
    let planned = 0;
    for (const chain of behind) {
      if (planned >= limit) break;
      const after = Number(chain.position);
      const upTo = Math.min(chain.head, after + (limit - planned));
      windows.push({ chainKey: chain.chainKey, after, upTo });
      planned += upTo - after;
    }
    const rows = await tx.$queryRaw<(AuditEntryRow & { chainKey: string })[]>`/* analytics:background */
      SELECT e.organization_id AS "organizationId", e.occurred_at AS "occurredAt", e.action,
        e.severity::text AS severity, e.target_id AS "targetId",
        CASE WHEN e.action = 'token.created' THEN e.changes -> 'after' ->> 'chainId' END AS "chainId"
      FROM unnest(${windows.map((w) => w.chainKey)}::text[], ${windows.map((w) => w.after)}::int[],
        ${windows.map((w) => w.upTo)}::int[]) AS w(chain_key, after_sequence, up_to)
      -- One index range per chain; OFFSET 0 keeps the planner from turning this back
      -- into a hash join over the whole trail.
      CROSS JOIN LATERAL (
        SELECT * FROM audit.entries x
        WHERE x.chain_key = w.chain_key AND x.sequence > w.after_sequence AND x.sequence <= w.up_to
        OFFSET 0
      ) e`;
    await tx.$executeRaw`/* analytics:background */
      INSERT INTO analytics.ingest_cursors (source, key, position, updated_at)
      SELECT ${source}, w.key, w.position, now()
      FROM unnest(${windows.map((w) => w.chainKey)}::text[], ${windows.map((w) => w.upTo)}::bigint[]) AS w(key, position)
      ON CONFLICT (source, key) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at`;
    return {
      events: rows.filter((row) => row.organizationId).flatMap(auditEntryEvents),
      full: planned >= limit || behind.length === 1000,
    };
  },
};
