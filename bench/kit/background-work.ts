import pg from 'pg';
import { sleep } from './concurrency.ts';

/*
 * What seeding leaves behind, cleared before anything is measured: background work, and
 * a database fresh from bulk writes.
 */

/**
 * Jobs not finished yet (invitation emails, say), and outbox events not dispatched: the
 * work seeding leaves to run in the background. The analytics queue is left out: one of
 * its ingest jobs always waits or runs (its own wait is for the ingester's cursors).
 */
const pendingWork = `
  SELECT (SELECT count(*) FROM jobs.jobs WHERE status IN ('QUEUED', 'RUNNING', 'RELAYED') AND queue <> 'analytics')
       + (SELECT count(*) FROM integrations.webhook_events WHERE dispatched_at IS NULL) AS pending`;

/**
 * Waits until the graph on `databaseUrl` has done the background work seeding gave it,
 * so that none of it is left for (and measured with) the next graph on the database.
 */
export async function waitForBackgroundWork(databaseUrl: string, timeoutMs = 120_000): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { rows } = await client.query<{ pending: string }>(pendingWork);
      const pending = Number(rows[0]!.pending);
      if (pending === 0) return;
      if (Date.now() > deadline) throw new Error(`${pending} background jobs or events still pending after ${timeoutMs / 1000} s`);
      await sleep(250);
    }
  } finally {
    await client.end();
  }
}

/**
 * Brings the seeded database to rest: VACUUM ANALYZE, so that every graph plans with the
 * same statistics and no autovacuum of the seeded tables runs during the first
 * measurements; then CHECKPOINT, so that the seeding's dirty pages are not written out
 * during them either.
 */
export async function vacuumAfterSeeding(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('VACUUM ANALYZE');
    await client.query('CHECKPOINT');
  } finally {
    await client.end();
  }
}
