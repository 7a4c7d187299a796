import { randomUUID } from 'node:crypto';
import { fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { GraphQLClient, errorCodes, randomIp, type GraphQLResponse } from '../testkit/client.ts';
import { startTestGraph, type TestGraph } from '../testkit/graph.ts';
import { startPrivateRedis, type PrivateRedis } from '../testkit/redis-server.ts';
import { unique } from '../testkit/seed.ts';

/** Two instances on a Redis of this test's own, which the test takes away and brings back. */
let redis: PrivateRedis;
let first: TestGraph;
let second: TestGraph;
beforeAll(async () => {
  redis = await startPrivateRedis();
  // One deployment: the same key prefix, so the same counters.
  const env = { REDIS_URL: redis.url, EVENT_CHANNEL_PREFIX: `tnx-test-${randomUUID()}:` };
  [first, second] = await Promise.all([startTestGraph(env), startTestGraph(env)]);
});
afterAll(async () => {
  await Promise.all([first?.close(), second?.close()]);
  await redis?.stop();
});

const attempt = `mutation ($email: String!) { logIn(input: { email: $email, password: "wrong" }) { accessToken } }`;

function admitted(responses: GraphQLResponse[]): number {
  return responses.flatMap(errorCodes).filter((code) => code === 'UNAUTHENTICATED').length;
}

async function burst(graph: TestGraph, email: string, ip: string, count: number): Promise<GraphQLResponse[]> {
  const client = new GraphQLClient(graph.gateway.url).from(ip);
  return Promise.all(Array.from({ length: count }, () => client.request(attempt, { email })));
}

async function gatewayReadiness(graph: TestGraph): Promise<Record<string, unknown>> {
  return (await (await fetch(graph.gateway.url.replace('/graphql', '/health/ready'))).json()) as Record<string, unknown>;
}

async function rateLimitMode(graph: TestGraph): Promise<string> {
  const response = await fetch(new URL('/health/ready', graph.subgraphs.identity.url));
  return ((await response.json()) as { rateLimits: string }).rateLimits;
}

describe('when Redis goes away', () => {
  test('requests are still answered and limited per instance; when it returns, counting is shared again', async () => {
    // Both instances connected to Redis before counting starts (a busy machine can take a
    // while to open them all, and a limiter without its connection counts locally).
    for (const graph of [first, second]) {
      await vi.waitFor(async () => expect(await gatewayReadiness(graph)).toMatchObject({ redis: 'ok', cache: 'ok', sessions: 'mirrored' }), {
        timeout: 15_000,
        interval: 200,
      });
    }
    const shared = `before-${unique()}@example.com`;
    const ip = randomIp();
    expect(admitted([...(await burst(first, shared, ip, 6)), ...(await burst(second, shared, ip, 6))])).toBe(10);
    expect(await rateLimitMode(first)).toBe('shared');

    await redis.stop();
    const during = `during-${unique()}@example.com`;
    const onFirst = await burst(first, during, ip, 15);
    const onSecond = await burst(second, during, ip, 15);
    // Every request got an answer: refusals, never failures.
    for (const response of [...onFirst, ...onSecond]) {
      expect(errorCodes(response)).toEqual([expect.stringMatching(/^(UNAUTHENTICATED|RATE_LIMITED)$/)]);
    }
    expect(admitted(onFirst)).toBe(10);
    expect(admitted(onSecond)).toBe(10);
    expect(await rateLimitMode(first)).toBe('local');
    const health = await fetch(first.gateway.url.replace('/graphql', '/health/ready'));
    expect(health.status).toBe(200);
    // Sessions are checked in Redis again (which, away, accepts the token and logs it).
    expect(await health.json()).toMatchObject({ redis: 'unavailable', sessions: 'per-request', rateLimits: { identity: 'local' } });

    await redis.start();
    const after = `after-${unique()}@example.com`;
    const deadline = Date.now() + 15_000;
    while ((await rateLimitMode(first)) !== 'shared' || (await rateLimitMode(second)) !== 'shared') {
      if (Date.now() > deadline) throw new Error('rate limits never went back to Redis');
      await burst(first, `probe-${unique()}@example.com`, randomIp(), 1);
      await burst(second, `probe-${unique()}@example.com`, randomIp(), 1);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const responses = [...(await burst(first, after, ip, 10)), ...(await burst(second, after, ip, 10))];
    expect(admitted(responses)).toBe(10);
    const sessions = async () => ((await (await fetch(first.gateway.url.replace('/graphql', '/health/ready'))).json()) as { sessions: string }).sessions;
    await vi.waitFor(async () => expect(await sessions()).toBe('mirrored'), { timeout: 15_000, interval: 200 });
  });
});
