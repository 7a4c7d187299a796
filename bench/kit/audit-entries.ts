import pg from 'pg';

export interface GenerateProgress {
  /** Entries written so far (of `count`). */
  written: number;
  count: number;
  elapsedMs: number;
}

export interface GenerateOptions {
  /** Entries per INSERT (and transaction): a progress report after each. */
  chunkSize: number;
  onProgress?: (progress: GenerateProgress) => void;
  /** Stops between chunks, or at once by closing the connection (the running chunk rolls back). */
  signal?: AbortSignal;
}

/**
 * Appends `count` generated entries to an organization's audit chain straight in SQL, as
 * test/audit/large-export.test.ts does: going through the API would take hours for a
 * million rows. Each chunk continues the sequence from the chain head and moves the head
 * in the same transaction, so the export job's snapshot (the head's last sequence) covers
 * every generated entry. The hashes are fake: exports copy them, they do not check them.
 *
 * @returns the chain's last sequence afterwards.
 */
export async function generateAuditEntries(
  databaseUrl: string,
  organizationId: string,
  count: number,
  options: GenerateOptions,
): Promise<number> {
  // A connection of its own, closed afterwards: none of the graph's pool is taken, and
  // none stays open (and idle) while the exports are measured.
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= client.end());
  // Ctrl-C in the middle of a 100,000-row INSERT: closing the connection fails the query
  // at once instead of waiting for it (the scratch database is dropped with FORCE anyway).
  options.signal?.addEventListener('abort', close, { once: true });
  try {
    options.signal?.throwIfAborted();
    const startedAt = performance.now();
    let last = 0;
    for (let written = 0; written < count; ) {
      const rows = Math.min(options.chunkSize, count - written);
      last = await appendChunk(client, organizationId, rows);
      written += rows;
      options.onProgress?.({ written, count, elapsedMs: performance.now() - startedAt });
      options.signal?.throwIfAborted();
    }
    // Autovacuum would analyze a table that grew this much; do it now so the export's
    // queries are planned as on a table in steady use, not right after a bulk load.
    await client.query('ANALYZE audit.entries');
    return last;
  } finally {
    options.signal?.removeEventListener('abort', close);
    await close();
  }
}

/** One transaction: `rows` entries after the chain head, then the head moved past them. */
async function appendChunk(client: pg.Client, organizationId: string, rows: number): Promise<number> {
  await client.query('BEGIN');
  try {
    // FOR UPDATE: an entry the graph writes meanwhile (none is expected) waits for this
    // chunk instead of taking one of its sequence numbers.
    const head = await client.query<{ last_sequence: number }>(
      'SELECT last_sequence FROM audit.chain_heads WHERE chain_key = $1 FOR UPDATE',
      [organizationId],
    );
    const start = head.rows[0]?.last_sequence;
    if (start === undefined) {
      throw new Error(`organization ${organizationId} has no audit chain head yet`);
    }
    // Rows like the test's (numbered by sequence, so chunks do not repeat each other),
    // `changes` included: its quotes and comma make the CSV writer quote and escape every
    // row, as real before/after values often do.
    await client.query(
      `INSERT INTO audit.entries (id, chain_key, sequence, organization_id, occurred_at, actor_type,
         actor_id, action, target_type, target_id, changes, severity, previous_hash, hash)
       SELECT gen_random_uuid(), $1::text, $2 + g, $1::uuid, now(), 'SYSTEM', 'generator',
         'bulk.generated', 'row', ($2 + g)::text,
         jsonb_build_object('after', jsonb_build_object('n', $2 + g, 'note', 'a "quoted", comma''d value')),
         'INFO', repeat('0', 64), md5(($2 + g)::text) || md5(($2 + g)::text)
       FROM generate_series(1, $3::int) AS g`,
      [organizationId, start, rows],
    );
    await client.query('UPDATE audit.chain_heads SET last_sequence = $2 WHERE chain_key = $1', [
      organizationId,
      start + rows,
    ]);
    await client.query('COMMIT');
    return start + rows;
  } catch (error) {
    // The connection may be the thing that failed (Ctrl-C closes it): nothing to roll back then.
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}
