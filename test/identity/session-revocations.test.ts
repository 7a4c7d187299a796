import { randomUUID } from 'node:crypto';
import {
  MirroredSessionRevocations,
  RedisSessionRevocations,
  createLogger,
  createRedisClient,
  createSubscriberClient,
  type Redis,
} from '@token-nexus/shared';
import { afterEach, describe, expect, inject, test, vi } from 'vitest';
import { startTcpProxy } from '../testkit/tcp-proxy.ts';

/**
 * A gateway's copy of the ended sessions (MirroredSessionRevocations) against the run's
 * Redis, each of its two connections through a proxy of the test's own that can cut it
 * while identity's connection stays up.
 */
const logger = createLogger('test', 'silent');
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Identity's side: records ends (and announces them) on a connection of its own. */
function identity(keyPrefix: string): RedisSessionRevocations {
  const redis = createRedisClient(inject('redisUrl'), 'revocations-test-identity', logger);
  cleanups.push(() => redis.disconnect());
  return new RedisSessionRevocations(redis, keyPrefix);
}

/** A gateway's copy, its command and subscribed connections each through a proxy. */
async function mirror(keyPrefix: string) {
  const commandsProxy = await startTcpProxy(inject('redisUrl'));
  const subscriberProxy = await startTcpProxy(inject('redisUrl'));
  const commands: Redis = createRedisClient(commandsProxy.url, 'revocations-test-gateway', logger);
  const subscriber = createSubscriberClient(subscriberProxy.url, 'revocations-test-gateway-sub', logger);
  const mirrored = new MirroredSessionRevocations(new RedisSessionRevocations(commands, keyPrefix), commands, subscriber, keyPrefix, logger);
  cleanups.push(async () => {
    await mirrored.close();
    await Promise.all([commandsProxy.close(), subscriberProxy.close()]);
  });
  await vi.waitFor(() => expect(mirrored.mirrored).toBe(true), { timeout: 5_000, interval: 20 });
  return { revocations: mirrored, commands: commandsProxy, subscriber: subscriberProxy };
}

const prefix = () => `tnx-test-${randomUUID()}:`;

describe("a gateway's copy of the ended sessions", () => {
  test('holds every end recorded before it started, and answers without Redis', async () => {
    const keyPrefix = prefix();
    const recorder = identity(keyPrefix);
    await recorder.revoke('ended-1', 60);
    await recorder.revoke('ended-2', 60);
    const gateway = await mirror(keyPrefix);
    gateway.commands.cut();
    expect(await gateway.revocations.isRevoked('ended-1')).toBe(true);
    expect(await gateway.revocations.isRevoked('ended-2')).toBe(true);
    expect(await gateway.revocations.isRevoked('still-open')).toBe(false);
  });

  test('learns of an end recorded by another instance from its announcement', async () => {
    const keyPrefix = prefix();
    const recorder = identity(keyPrefix);
    const gateway = await mirror(keyPrefix);
    expect(await gateway.revocations.isRevoked('ended-later')).toBe(false);
    await recorder.revoke('ended-later', 60);
    // Its commands cannot reach Redis: only the announcement can have told it.
    gateway.commands.cut();
    await vi.waitFor(async () => expect(await gateway.revocations.isRevoked('ended-later')).toBe(true), { timeout: 2_000, interval: 5 });
  });

  test('asks Redis on every question while its subscription is down, and loads what it missed once back', async () => {
    const keyPrefix = prefix();
    const recorder = identity(keyPrefix);
    const gateway = await mirror(keyPrefix);
    gateway.subscriber.cut();
    await vi.waitFor(() => expect(gateway.revocations.mirrored).toBe(false), { timeout: 2_000, interval: 5 });
    // Announced while nobody of this gateway listens: only Redis knows.
    await recorder.revoke('ended-during-the-cut', 60);
    expect(await gateway.revocations.isRevoked('ended-during-the-cut')).toBe(true);
    expect(await gateway.revocations.isRevoked('still-open')).toBe(false);

    gateway.subscriber.restore();
    await vi.waitFor(() => expect(gateway.revocations.mirrored).toBe(true), { timeout: 10_000, interval: 20 });
    gateway.commands.cut();
    expect(await gateway.revocations.isRevoked('ended-during-the-cut')).toBe(true);
  });

  test('throws when neither of its connections reaches Redis (the gateway then accepts and logs)', async () => {
    const gateway = await mirror(prefix());
    gateway.subscriber.cut();
    gateway.commands.cut();
    await vi.waitFor(() => expect(gateway.revocations.mirrored).toBe(false), { timeout: 2_000, interval: 5 });
    await expect(gateway.revocations.isRevoked('any')).rejects.toThrow();
  });

  test('forgets an end once the access tokens of its session have expired', async () => {
    const keyPrefix = prefix();
    const gateway = await mirror(keyPrefix);
    vi.useFakeTimers({ toFake: ['Date'] });
    await identity(keyPrefix).revoke('ended-briefly', 60);
    await vi.waitFor(async () => expect(await gateway.revocations.isRevoked('ended-briefly')).toBe(true), { timeout: 2_000, interval: 5 });
    vi.setSystemTime(Date.now() + 61_000);
    expect(await gateway.revocations.isRevoked('ended-briefly')).toBe(false);
  });
});
