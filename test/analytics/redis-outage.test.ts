import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startPrivateRedis, type PrivateRedis } from '../testkit/redis-server.ts';
import { addMember, createOrganization, signUpUser } from '../testkit/seed.ts';
import { useTestGraphOnOwnDatabase } from '../testkit/use-test-graph.ts';

/*
 * Redis taken away while members join, then brought back: the ingester (its jobs on
 * BullMQ) catches up, and every change is counted once. A database and a Redis of this
 * file's own, so that no other test's ingester counts for it.
 */
let redis: PrivateRedis;
beforeAll(async () => {
  redis = await startPrivateRedis();
});
// Registered before the graph's, so it runs after the graph has stopped.
afterAll(async () => {
  await redis?.stop();
});
const fixture = useTestGraphOnOwnDatabase(() => ({
  REDIS_URL: redis.url,
  EVENT_CHANNEL_PREFIX: `tnx-test-${randomUUID()}:`,
  ANALYTICS_INGEST_INTERVAL_MS: '100',
}));

/** The organization's counted entries and members, and how far its chain goes. */
async function state(orgId: string) {
  const rows = await fixture.db.query(
    `SELECT
       (SELECT last_sequence FROM audit.chain_heads WHERE chain_key = $1) AS head,
       (SELECT coalesce(sum(count), 0)::int FROM analytics.rollups
         WHERE organization_id = $1::uuid AND metric = 'audit.entries' AND grain = 'DAY' AND dimension_name = '') AS entries,
       (SELECT coalesce(sum(value), 0)::int FROM analytics.rollups
         WHERE organization_id = $1::uuid AND metric = 'members.count' AND grain = 'DAY' AND dimension_name = '') AS members`,
    [orgId],
  );
  return rows.rows[0] as { head: number; entries: number; members: number };
}

async function settled(orgId: string, members: number, timeoutMs: number) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const now = await state(orgId);
    if (now.entries === now.head && now.members === members) return now;
    if (Date.now() > until) throw new Error(`not caught up: ${JSON.stringify(now)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('with Redis away', () => {
  test('members who join meanwhile are counted once Redis is back, each exactly once', async () => {
    const owner = await signUpUser(fixture.graph.client);
    const { id: orgId } = await createOrganization(owner);
    await settled(orgId, 1, 20_000);
    const newcomers = await Promise.all([1, 2, 3].map(() => signUpUser(fixture.graph.client)));

    await redis.stop();
    for (const newcomer of newcomers) await addMember(owner, orgId, newcomer, 'MEMBER');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    // Whatever was counted meanwhile is whole: never more than happened.
    const during = await state(orgId);
    expect(during.entries).toBeLessThanOrEqual(during.head);
    expect(during.members).toBeLessThanOrEqual(4);

    await redis.start();
    const after = await settled(orgId, 4, 90_000);
    expect(after.entries).toBe(after.head);
    // Some rounds later, still the same: nothing counted twice.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await state(orgId)).toEqual(after);
  }, 150_000);
});
