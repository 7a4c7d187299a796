import { randomUUID } from 'node:crypto';
import { MemoryCacheTagVersions, RedisCacheTagVersions, createLogger, createRedisClient, type CacheTagVersions } from '@token-nexus/shared';
import { afterAll, describe, expect, inject, test } from 'vitest';
import { startPrivateRedis } from '../testkit/redis-server.ts';

const redis = createRedisClient(inject('redisUrl'), 'tag-versions-test', createLogger('test', 'silent'));
afterAll(() => redis.disconnect());

describe.each([
  ['in Redis', () => new RedisCacheTagVersions(redis, `tnx-test-${randomUUID()}:`, 60) as CacheTagVersions],
  ['in memory', () => new MemoryCacheTagVersions() as CacheTagVersions],
])('cache tag versions %s', (_name, create) => {
  test('a bump gives the tags new versions, leaves the others, and moves the epoch', async () => {
    const versions = create();
    const before = await versions.read(['a', 'b']);
    const epoch = await versions.epoch();
    await versions.bump(['a']);
    const after = await versions.read(['a', 'b']);
    expect(after[0]).not.toBe(before[0]);
    expect(after[1]).toBe(before[1]);
    expect(await versions.epoch()).not.toBe(epoch);
  });

  test('an answer fetched across a change is stamped only if the change touched none of its tags', async () => {
    const versions = create();
    const epoch = await versions.epoch();
    // A change elsewhere while the answer was being fetched: it may be stored.
    await versions.bump(['elsewhere', 'other@org:2']);
    expect(await versions.stampUnchangedSince(epoch, ['page:1', 'Page@org:1'])).toEqual(await versions.read(['page:1', 'Page@org:1']));
    // A change to what it holds: the answer may predate it, and is not stored.
    await versions.bump(['Page@org:1']);
    expect(await versions.stampUnchangedSince(epoch, ['page:1', 'Page@org:1'])).toBeNull();
    // Fetched after that change: stored again.
    const later = await versions.epoch();
    expect(await versions.stampUnchangedSince(later, ['page:1', 'Page@org:1'])).toEqual(await versions.read(['page:1', 'Page@org:1']));
  });

  test('versions never come back: bumping twice never returns to an earlier one', async () => {
    const versions = create();
    const seen = new Set((await versions.read(['t'])) as string[]);
    for (let bump = 0; bump < 20; bump++) {
      await versions.bump(['t']);
      const [version] = await versions.read(['t']);
      expect(seen.has(version!)).toBe(false);
      seen.add(version!);
    }
  });
});

describe('a bump lost to an outage', () => {
  test('makes every answer stamped before stale once Redis answers again', async () => {
    const server = await startPrivateRedis();
    const client = createRedisClient(server.url, 'tag-versions-outage', createLogger('test', 'silent'));
    const versions = new RedisCacheTagVersions(client, 'tnx-test:', 60);
    try {
      const stamped = await versions.read(['kept']);
      const epoch = await versions.epoch();
      await server.stop();
      await expect(versions.bump(['changed'])).rejects.toThrow();
      await expect(versions.ping()).rejects.toThrow();
      await server.start();
      await expect.poll(() => versions.ping().then(() => true, () => false), { timeout: 15_000 }).toBe(true);
      // A fresh Redis would read `kept` as never bumped again; the generation tells otherwise.
      expect(await versions.read(['kept'])).not.toEqual(stamped);
      // And no answer fetched across the outage is stored, whatever it holds.
      expect(await versions.stampUnchangedSince(epoch, ['kept'])).toBeNull();
    } finally {
      await versions.close();
      await server.stop();
    }
  });
});
