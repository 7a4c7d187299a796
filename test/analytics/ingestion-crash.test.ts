import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runEntryPoint } from '../testkit/run-entry-point.ts';
import { createScratchDatabase, type ScratchDatabase } from '../testkit/scratch-database.ts';

/*
 * The ingester killed with SIGKILL mid-batch, again and again: every audit entry is
 * counted exactly once all the same. The analytics service runs as its own process, as in
 * production, on a database of this file's own (so no other test's ingester counts for
 * it), with small rounds so that a kill lands inside one.
 */

const repoRoot = new URL('../../', import.meta.url).pathname;
const entries = 20_000;
const joinedEvery = 10;
let scratch: ScratchDatabase;
let db: pg.Client;
const organizationId = randomUUID();

beforeAll(async () => {
  scratch = await createScratchDatabase();
  const migrated = await runEntryPoint('prisma/src/cli/migrate.ts', [], { DATABASE_URL: scratch.url });
  expect(migrated.code, migrated.stderr).toBe(0);
  db = new pg.Client({ connectionString: scratch.url });
  await db.connect();
  // A long trail over ten hours: every tenth entry a member joining, the rest page edits.
  await db.query(
    `INSERT INTO audit.entries (id, chain_key, sequence, organization_id, occurred_at, actor_type, action, severity, previous_hash, hash)
     SELECT gen_random_uuid(), $1::text, s, $1::uuid, timestamptz '2026-11-20T07:59:59Z' + s * interval '1.8 seconds', 'SYSTEM',
       CASE WHEN s % ${joinedEvery} = 0 THEN 'member.added' ELSE 'page.edited' END, 'INFO', repeat('0', 64), repeat('0', 64)
     FROM generate_series(1, ${entries}) AS s`,
    [organizationId],
  );
  await db.query(`INSERT INTO audit.chain_heads (chain_key, last_sequence, last_hash) VALUES ($1, $2, repeat('0', 64))`, [
    organizationId,
    entries,
  ]);
}, 120_000);

afterAll(async () => {
  await db?.end();
  await scratch?.drop();
});

function startAnalytics(): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'subgraphs/analytics/src/main.ts'], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: scratch.url,
      ANALYTICS_PORT: '0',
      WORKFLOWS_PORT: '0',
      MEDIA_PORT: '0',
      ANALYTICS_INGEST_BATCH_SIZE: '400',
      ANALYTICS_INGEST_INTERVAL_MS: '20',
      // The database's own job runner: a killed instance's job is taken over once its lease ends.
      JOB_POLL_INTERVAL_MS: '50',
    },
    stdio: 'ignore',
  });
}

async function position(): Promise<number> {
  const rows = await db.query(`SELECT position FROM analytics.ingest_cursors WHERE source = 'audit' AND key = $1`, [organizationId]);
  return Number(rows.rows[0]?.position ?? 0);
}

/** What the rollups hold for the organization: counts by metric and grain. */
async function counted(): Promise<Record<string, number>> {
  const rows = await db.query(
    `SELECT metric || '/' || grain AS key, sum(count)::int AS count, sum(value)::int AS value FROM analytics.rollups
     WHERE organization_id = $1 AND dimension_name = '' GROUP BY 1`,
    [organizationId],
  );
  return Object.fromEntries(rows.rows.map((row) => [row.key, row.count]));
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number, what: string) {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('the ingester killed mid-batch', () => {
  test('counts every entry exactly once, and what is counted always matches its cursor', async () => {
    let reached = 0;
    for (let kill = 1; kill <= 3; kill += 1) {
      const child = startAnalytics();
      const target = reached + 1_500 + Math.floor(Math.random() * 1_500);
      await waitFor(async () => (await position()) >= target, 60_000, `the cursor to pass ${target}`);
      child.kill('SIGKILL');
      await once(child, 'exit');
      reached = await position();
      // Whatever the kill interrupted was rolled back whole: the rollups hold exactly the
      // entries up to the cursor, hourly and daily alike.
      const now = await counted();
      expect(now['audit.entries/HOUR']).toBe(reached);
      expect(now['audit.entries/DAY']).toBe(reached);
      expect(now['members.joined/DAY']).toBe(Math.floor(reached / joinedEvery));
    }
    expect(reached).toBeLessThan(entries);
    const last = startAnalytics();
    try {
      await waitFor(async () => (await position()) === entries, 90_000, 'the whole trail to be counted');
      // A round or two more finds nothing new.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await counted()).toMatchObject({
        'audit.entries/HOUR': entries,
        'audit.entries/DAY': entries,
        'members.joined/HOUR': entries / joinedEvery,
        'members.count/DAY': entries / joinedEvery,
        'cms.edits/DAY': entries - entries / joinedEvery,
      });
      const hours = await db.query(
        `SELECT count(*)::int AS hours FROM analytics.rollups WHERE organization_id = $1 AND metric = 'audit.entries' AND grain = 'HOUR' AND dimension_name = ''`,
        [organizationId],
      );
      expect(hours.rows[0].hours).toBe(10);
    } finally {
      last.kill('SIGKILL');
      await once(last, 'exit');
    }
  }, 240_000);
});
