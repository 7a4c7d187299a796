import type pg from 'pg';

/**
 * Appends entries to an organization's audit chain at chosen instants in the past, as the
 * audit writer would (next sequences, the chain's head moved in the same transaction).
 * The API stamps every entry with the time of its change, so history months back (a DST
 * change, a quarter of data) can only be made this way; the ingester reads these rows
 * exactly as it reads the writer's. Their hashes are not real: verifyAuditChain would
 * flag them, which no test here asks.
 */
export async function appendAuditHistory(
  db: pg.Client,
  organizationId: string,
  entries: { occurredAt: Date; action?: string; severity?: 'INFO' | 'WARNING' | 'CRITICAL' }[],
): Promise<void> {
  await db.query('BEGIN');
  try {
    const head = await db.query<{ last: number }>(
      `UPDATE audit.chain_heads SET last_sequence = last_sequence + $2 WHERE chain_key = $1
       RETURNING last_sequence - $2 AS last`,
      [organizationId, entries.length],
    );
    const first = Number(head.rows[0]!.last) + 1;
    await db.query(
      `INSERT INTO audit.entries (id, chain_key, sequence, organization_id, occurred_at, actor_type, action, severity, previous_hash, hash)
       SELECT gen_random_uuid(), $1::text, $2::int + e.i - 1, $1::uuid, e.at, 'SYSTEM', e.action, e.severity::audit."AuditSeverity",
         repeat('0', 64), repeat('0', 64)
       FROM unnest($3::timestamptz[], $4::text[], $5::text[]) WITH ORDINALITY AS e(at, action, severity, i)`,
      [
        organizationId,
        first,
        entries.map((entry) => entry.occurredAt),
        entries.map((entry) => entry.action ?? 'page.edited'),
        entries.map((entry) => entry.severity ?? 'INFO'),
      ],
    );
    await db.query('COMMIT');
  } catch (error) {
    await db.query('ROLLBACK');
    throw error;
  }
}

/** Waits until the ingester has counted the organization's whole chain (its cursor at the chain's head). */
export async function waitForChainCounted(db: pg.Client, organizationId: string, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const counted = await db.query(
      `SELECT c.position >= h.last_sequence AS done FROM audit.chain_heads h
       JOIN analytics.ingest_cursors c ON c.source = 'audit' AND c.key = h.chain_key WHERE h.chain_key = $1`,
      [organizationId],
    );
    if (counted.rows[0]?.done) return;
    if (Date.now() > until) throw new Error("the ingester did not count the organization's chain in time");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
