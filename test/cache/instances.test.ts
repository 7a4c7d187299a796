import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { startTestGraph, requestStatements, type TestGraph } from '../testkit/graph.ts';
import { startPrivateRedis, type PrivateRedis } from '../testkit/redis-server.ts';
import { addMember, createOrganization, signUpUser } from '../testkit/seed.ts';

/**
 * The cache across instances: two gateways, each with its own identity replica, on one
 * Postgres and one Redis (one deployment); then the cache's store going away.
 */
const organizationQuery = `query ($id: ID!) { organization(id: $id) { id name members { totalCount } } }`;
const rename = `mutation ($id: ID!, $name: String!) { updateOrganization(id: $id, input: { name: $name }) { name } }`;

describe('two gateways and two identity replicas', () => {
  let first: TestGraph;
  let second: TestGraph;
  beforeAll(async () => {
    const env = { EVENT_CHANNEL_PREFIX: `tnx-test-${randomUUID()}:` };
    [first, second] = await Promise.all([startTestGraph(env), startTestGraph(env)]);
  });
  afterAll(async () => {
    await Promise.all([first?.close(), second?.close()]);
  });

  test('once a change is answered on one, the other never answers the old value', async () => {
    const owner = await signUpUser(first.client);
    const organization = await createOrganization(owner);
    const onFirst = owner.client;
    const onSecond = owner.client.withUrl(second.gateway.url);
    for (let round = 0; round < 15; round++) {
      // The second gateway holds the current answer, cached...
      await onSecond.data(organizationQuery, { id: organization.id });
      expect((await onSecond.request(organizationQuery, { id: organization.id })).headers.get('cache-status')).toContain('hit');
      // ...the change goes through the first, and the second is asked right after.
      const name = `Name ${round}`;
      await onFirst.data(rename, { id: organization.id, name });
      expect((await onSecond.data(organizationQuery, { id: organization.id })).organization.name).toBe(name);
    }
    await onSecond.data(organizationQuery, { id: organization.id });
    const joining = await signUpUser(first.client);
    await addMember(owner, organization.id, joining, 'MEMBER');
    expect((await onSecond.data(organizationQuery, { id: organization.id })).organization.members.totalCount).toBe(2);
  });

  test('an answer cached by one gateway is a hit on the other', async () => {
    const owner = await signUpUser(first.client);
    const organization = await createOrganization(owner);
    await owner.client.data(organizationQuery, { id: organization.id });
    second.statements.length = 0;
    const answer = await owner.client.withUrl(second.gateway.url).request(organizationQuery, { id: organization.id });
    expect(answer.headers.get('cache-status')).toContain('hit');
    expect(requestStatements(second)).toEqual([]);
  });
});

describe('when the cache store goes away', () => {
  let redis: PrivateRedis;
  let graph: TestGraph;
  beforeAll(async () => {
    redis = await startPrivateRedis();
    graph = await startTestGraph({ REDIS_URL: redis.url });
  });
  afterAll(async () => {
    await graph?.close();
    await redis?.stop();
  });

  const ready = async () => (await (await fetch(graph.gateway.url.replace('/graphql', '/health/ready'))).json()) as { cache: string };

  test('requests are answered without it, readiness says so, and nothing stale comes back with it', async () => {
    const owner = await signUpUser(graph.client);
    const organization = await createOrganization(owner);
    await owner.client.data(organizationQuery, { id: organization.id });
    expect((await owner.client.request(organizationQuery, { id: organization.id })).headers.get('cache-status')).toContain('hit');
    expect((await ready()).cache).toBe('ok');

    await redis.stop();
    const without = await owner.client.request(organizationQuery, { id: organization.id });
    expect(without.errors).toBeUndefined();
    expect(without.headers.get('cache-status')).toContain('fwd=bypass');
    expect((await ready()).cache).toBe('unavailable');

    // A change made while it is away (its invalidation cannot be recorded)...
    await owner.client.data(rename, { id: organization.id, name: 'During the outage' });
    await redis.start();
    await vi.waitFor(async () => expect((await ready()).cache).toBe('ok'), { timeout: 15_000, interval: 200 });
    expect((await owner.client.data(organizationQuery, { id: organization.id })).organization.name).toBe('During the outage');
    await owner.client.data(rename, { id: organization.id, name: 'After the outage' });
    await owner.client.data(organizationQuery, { id: organization.id });
    expect((await owner.client.data(organizationQuery, { id: organization.id })).organization.name).toBe('After the outage');
    expect((await ready()).cache).toBe('ok');
  });
});

describe('with GATEWAY_CACHE=off', () => {
  let graph: TestGraph;
  beforeAll(async () => {
    graph = await startTestGraph({ GATEWAY_CACHE: 'off' });
  });
  afterAll(async () => {
    await graph?.close();
  });

  test('every fetch goes to its subgraph', async () => {
    const owner = await signUpUser(graph.client);
    const organization = await createOrganization(owner);
    await owner.client.data(organizationQuery, { id: organization.id });
    graph.statements.length = 0;
    const again = await owner.client.request(organizationQuery, { id: organization.id });
    expect(again.headers.get('cache-status')).toBe('tnx-gateway; fwd=bypass; detail=identity');
    expect(requestStatements(graph).length).toBeGreaterThan(0);
  });
});
