import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import {
  MemoryPresenceStore,
  RedisPresenceStore,
  createLogger,
  createRedisClient,
  type PresenceStore,
  type Redis,
} from '@token-nexus/shared';
import { afterEach, describe, expect, inject, test } from 'vitest';

const logger = createLogger('test', 'silent');
const shortTtlMs = 300;
const longTtlMs = 10_000;
const opened: PresenceStore[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Long enough past `shortTtlMs` that a session written just before has lapsed. */
const lapse = () => sleep(shortTtlMs + 60);

async function connectRedis(name: string): Promise<Redis> {
  const redis = createRedisClient(inject('redisUrl'), name, logger);
  if (redis.status !== 'ready') await once(redis, 'ready');
  return redis;
}

/**
 * Stores over one shared state, as several replicas of a service see it: for Redis, one
 * connection each on a key prefix new to this test; in memory, the one store of the process.
 */
type OpenReplicas = (count: number) => Promise<PresenceStore[]>;

const openRedisReplicas: OpenReplicas = async (count) => {
  const prefix = `tnx:test:${randomUUID()}:`;
  const stores = await Promise.all(
    Array.from({ length: count }, async (_, replica) => new RedisPresenceStore(await connectRedis(`presence-test-${replica}`), prefix)),
  );
  opened.push(...stores);
  return stores;
};

const openMemoryReplicas: OpenReplicas = async (count) => {
  const store = new MemoryPresenceStore();
  opened.push(store);
  return Array.from({ length: count }, () => store);
};

const open = async (openReplicas: OpenReplicas) => (await openReplicas(1))[0]!;
const sessionIds = (entries: { sessionId: string }[]) => entries.map((entry) => entry.sessionId);

describe.each([
  ['Redis (shared by replicas)', openRedisReplicas],
  ['memory (embedded)', openMemoryReplicas],
] as const)('presence in %s', (_name, openReplicas) => {
  test('an upserted session is read back as written and listed with its page, ordered by sessionId', async () => {
    const store = await open(openReplicas);
    const before = Date.now();
    const cursor = { anchor: { block: 'b1', offset: 12 }, selection: [], color: '#f80' };
    const written = await store.upsert({ sessionId: 'tab-b', pageId: 'home', userId: 'ada', cursor }, longTtlMs);
    await store.upsert({ sessionId: 'tab-c', pageId: 'home', userId: 'bob', cursor: null }, longTtlMs);
    await store.upsert({ sessionId: 'tab-a', pageId: 'home', userId: 'cy', cursor: undefined }, longTtlMs);
    const after = Date.now();

    expect(written).toEqual({ sessionId: 'tab-b', pageId: 'home', userId: 'ada', cursor, expiresAt: expect.any(Number) });
    // The Redis store reads the Redis clock; on this host it is the same clock, give or take a tick.
    expect(written.expiresAt).toBeGreaterThanOrEqual(before + longTtlMs - 50);
    expect(written.expiresAt).toBeLessThanOrEqual(after + longTtlMs + 50);
    expect(await store.get('home', 'tab-b')).toEqual(written);
    const listed = await store.list('home');
    expect(sessionIds(listed)).toEqual(['tab-a', 'tab-b', 'tab-c']);
    expect(listed.map((entry) => [entry.userId, entry.cursor])).toEqual([
      ['cy', null],
      ['ada', cursor],
      ['bob', null],
    ]);
    expect(await store.get('home', 'tab-z')).toBeNull();
  });

  test('upserting a live session refreshes it, keeping its user and replacing its cursor', async () => {
    const store = await open(openReplicas);
    const first = await store.upsert({ sessionId: 'tab', pageId: 'home', userId: 'ada', cursor: { line: 1 } }, shortTtlMs);
    const again = await store.upsert({ sessionId: 'tab', pageId: 'home', userId: 'mallory', cursor: { line: 2 } }, longTtlMs);

    expect(again.userId).toBe('ada');
    expect(again.cursor).toEqual({ line: 2 });
    expect(again.expiresAt).toBeGreaterThan(first.expiresAt);
    expect(await store.list('home')).toEqual([again]);
  });

  test('touch keeps a live session beyond its first expiry and replaces its cursor', async () => {
    const store = await open(openReplicas);
    const first = await store.upsert({ sessionId: 'tab', pageId: 'home', userId: 'ada', cursor: { line: 1 } }, shortTtlMs);
    await sleep(150);
    const touched = await store.touch('home', 'tab', { line: 9 }, shortTtlMs);
    expect(touched).toEqual({ sessionId: 'tab', pageId: 'home', userId: 'ada', cursor: { line: 9 }, expiresAt: expect.any(Number) });
    expect(touched!.expiresAt).toBeGreaterThanOrEqual(first.expiresAt + 140);

    await sleep(200);
    expect(Date.now()).toBeGreaterThan(first.expiresAt);
    expect(await store.get('home', 'tab')).toEqual(touched);
    expect(await store.list('home')).toEqual([touched]);
  });

  test('touch returns null for an unknown session and does not create it', async () => {
    const store = await open(openReplicas);
    expect(await store.touch('home', 'ghost', { line: 1 }, longTtlMs)).toBeNull();
    expect(await store.get('home', 'ghost')).toBeNull();
    expect(await store.list('home')).toEqual([]);
    expect(await store.sweep()).toEqual([]);
  });

  test('touch returns null for a lapsed session and leaves it as it was, for the sweep to announce', async () => {
    const store = await open(openReplicas);
    const written = await store.upsert({ sessionId: 'tab', pageId: 'home', userId: 'ada', cursor: { line: 1 } }, shortTtlMs);
    await lapse();
    expect(await store.touch('home', 'tab', { line: 2 }, longTtlMs)).toBeNull();
    expect(await store.get('home', 'tab')).toBeNull();
    expect(await store.sweep()).toEqual([written]);
  });

  test('a session that is not refreshed lapses: it is neither read nor listed', async () => {
    const store = await open(openReplicas);
    await store.upsert({ sessionId: 'gone', pageId: 'home', userId: 'ada', cursor: null }, shortTtlMs);
    const staying = await store.upsert({ sessionId: 'stays', pageId: 'home', userId: 'bob', cursor: null }, longTtlMs);
    expect(sessionIds(await store.list('home'))).toEqual(['gone', 'stays']);
    await lapse();
    expect(await store.get('home', 'gone')).toBeNull();
    expect(await store.list('home')).toEqual([staying]);
  });

  test('remove returns the session to the first caller only', async () => {
    const store = await open(openReplicas);
    const written = await store.upsert({ sessionId: 'tab', pageId: 'home', userId: 'ada', cursor: { line: 3 } }, longTtlMs);
    const [first, second] = await Promise.all([store.remove('home', 'tab'), store.remove('home', 'tab')]);
    expect([first, second]).toEqual([written, null]);
    expect(await store.remove('home', 'tab')).toBeNull();
    expect(await store.get('home', 'tab')).toBeNull();
    expect(await store.list('home')).toEqual([]);
    expect(await store.remove('home', 'never-there')).toBeNull();
  });

  test('concurrent sweeps by several replicas return each lapsed session exactly once and never a live one', async () => {
    const [replicaA, replicaB] = await openReplicas(2);
    const lapsing: string[] = [];
    for (const pageId of ['home', 'about', 'blog'])
      for (let tab = 0; tab < 8; tab++) {
        const sessionId = `${pageId}-tab-${tab}`;
        lapsing.push(sessionId);
        await replicaA!.upsert({ sessionId, pageId, userId: `user-${tab}`, cursor: { tab } }, shortTtlMs);
      }
    // A page where one editor stays must still give up the sessions of those who left.
    const staying = await replicaB!.upsert({ sessionId: 'home-stays', pageId: 'home', userId: 'ada', cursor: null }, longTtlMs);
    await lapse();

    const sweeps = await Promise.all([replicaA!.sweep(), replicaB!.sweep(), replicaA!.sweep(), replicaB!.sweep()]);
    const swept = sweeps.flat();
    expect(sessionIds(swept).sort()).toEqual(lapsing.sort());
    const homeTab3 = swept.find((entry) => entry.sessionId === 'home-tab-3');
    expect(homeTab3).toMatchObject({ pageId: 'home', userId: 'user-3', cursor: { tab: 3 } });
    expect(await replicaA!.sweep()).toEqual([]);
    expect(await replicaB!.list('home')).toEqual([staying]);
  });

  test('a sweep returns at most its limit, and the next one carries on', async () => {
    const store = await open(openReplicas);
    for (const sessionId of ['a', 'b', 'c']) await store.upsert({ sessionId, pageId: 'home', userId: 'ada', cursor: null }, shortTtlMs);
    await store.upsert({ sessionId: 'd', pageId: 'about', userId: 'ada', cursor: null }, shortTtlMs);
    await lapse();
    const first = await store.sweep(2);
    const second = await store.sweep(2);
    expect(first).toHaveLength(2);
    expect(second).toHaveLength(2);
    expect(sessionIds([...first, ...second]).sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(await store.sweep(2)).toEqual([]);
  });

  test('pages are isolated from each other, even for the same session id', async () => {
    const store = await open(openReplicas);
    const onHome = await store.upsert({ sessionId: 'tab', pageId: 'home', userId: 'ada', cursor: { page: 'home' } }, longTtlMs);
    const onAbout = await store.upsert({ sessionId: 'tab', pageId: 'about', userId: 'bob', cursor: { page: 'about' } }, longTtlMs);
    // Page ids that look like the store's own key names must not reach other pages either.
    await store.upsert({ sessionId: 'tab', pageId: 'pages', userId: 'cy', cursor: null }, longTtlMs);

    expect(await store.list('home')).toEqual([onHome]);
    expect(await store.list('about')).toEqual([onAbout]);
    expect(await store.touch('blog', 'tab', null, longTtlMs)).toBeNull();
    expect(await store.remove('home', 'tab')).toEqual(onHome);
    expect(await store.get('about', 'tab')).toEqual(onAbout);
    expect(sessionIds(await store.list('pages'))).toEqual(['tab']);
    expect(await store.list('blog')).toEqual([]);
  });
});

describe('presence keys in Redis', () => {
  async function openWithClient(): Promise<{ store: PresenceStore; redis: Redis; prefix: string }> {
    const prefix = `tnx:test:${randomUUID()}:`;
    const redis = await connectRedis('presence-keys-test');
    const store = new RedisPresenceStore(redis, prefix);
    opened.push(store);
    return { store, redis, prefix };
  }

  async function keysUnder(redis: Redis, prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1_000);
      keys.push(...batch);
      cursor = next;
    } while (cursor !== '0');
    return keys.sort();
  }

  test('every key expires on its own, a little after the last session on it', async () => {
    const { store, redis, prefix } = await openWithClient();
    await store.upsert({ sessionId: 'short', pageId: 'home', userId: 'ada', cursor: null }, shortTtlMs);
    await store.upsert({ sessionId: 'long', pageId: 'home', userId: 'bob', cursor: { line: 1 } }, longTtlMs);

    const keys = await keysUnder(redis, prefix);
    expect(keys.length).toBeGreaterThanOrEqual(3);
    for (const key of keys) {
      const pttl = await redis.pttl(key);
      expect(pttl, key).toBeGreaterThan(longTtlMs);
      expect(pttl, key).toBeLessThanOrEqual(longTtlMs + 60_000);
    }
  });

  test('removing the last session of the store leaves no key behind', async () => {
    const { store, redis, prefix } = await openWithClient();
    await store.upsert({ sessionId: 'tab', pageId: 'home', userId: 'ada', cursor: null }, longTtlMs);
    await store.upsert({ sessionId: 'tab', pageId: 'about', userId: 'ada', cursor: null }, shortTtlMs);
    expect(await keysUnder(redis, prefix)).not.toEqual([]);
    await store.remove('home', 'tab');
    await store.remove('about', 'tab');
    expect(await keysUnder(redis, prefix)).toEqual([]);
  });
});
