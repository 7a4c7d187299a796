import { randomUUID } from 'node:crypto';
import { MemoryRateLimitStore, RedisRateLimitStore, createRedisClient, createLogger, type RateLimitStore } from '@token-nexus/shared';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';

const redis = createRedisClient(inject('redisUrl'), 'window-test', createLogger('test', 'silent'));
const redisStore = new RedisRateLimitStore(redis, `tnx-test-${process.pid}:`);
const memoryStore = new MemoryRateLimitStore();
beforeAll(async () => {
  if (redis.status !== 'ready') await once(redis, 'ready');
});
afterAll(async () => {
  await redisStore.close();
});

const stores: [string, () => RateLimitStore][] = [
  ['Redis (shared)', () => redisStore],
  ['memory (embedded, and the fallback)', () => memoryStore],
];

describe.each(stores)('the sliding window in %s', (_name, store) => {
  test('admits the limit, refuses with the exact wait, and admits again once the window has moved on', async () => {
    const key = `rl:test:${randomUUID()}`;
    const windowMs = 1_500;
    const decisions = [];
    for (let use = 0; use < 3; use++) decisions.push(await store().hit(key, 3, windowMs));
    expect(decisions.map((decision) => [decision.allowed, decision.remaining])).toEqual([
      [true, 2],
      [true, 1],
      [true, 0],
    ]);
    const refused = await store().hit(key, 3, windowMs);
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterMs).toBeGreaterThan(windowMs - 500);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(windowMs);
    await new Promise((resolve) => setTimeout(resolve, refused.retryAfterMs + 50));
    const again = await store().hit(key, 3, windowMs);
    expect(again.allowed).toBe(true);
  });

  test('refused uses do not push the window further away', async () => {
    const key = `rl:test:${randomUUID()}`;
    await store().hit(key, 1, 1_000);
    const first = await store().hit(key, 1, 1_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const later = await store().hit(key, 1, 1_000);
    expect(later.allowed).toBe(false);
    expect(later.retryAfterMs).toBeLessThan(first.retryAfterMs - 200);
  });
});
