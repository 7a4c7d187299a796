import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, createRedisClient } from '@token-nexus/shared';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { cmsOrganization, createPage, documentOf, hero } from '../testkit/cms-seed.ts';
import { startTestGraph, type TestGraph } from '../testkit/graph.ts';
import { pageEventsSubscription, submitMutation } from '../testkit/live-editor.ts';
import { subscribeOverSse, subscribeOverWebSocket, webSocketClient } from '../testkit/subscriptions.ts';

/** A graph serving its own copy of the supergraph, so a test can deploy a new one. */
const prefix = `tnx-test-${randomUUID()}:`;
const supergraphPath = join(mkdtempSync(join(tmpdir(), 'tnx-supergraph-')), 'supergraph.graphql');
copyFileSync(new URL('../../gateway/supergraph.graphql', import.meta.url), supergraphPath);
const originalSupergraph = readFileSync(supergraphPath, 'utf8');
let graph: TestGraph;
const redis = createRedisClient(inject('redisUrl'), 'teardown-test', createLogger('test', 'silent'));
beforeAll(async () => {
  graph = await startTestGraph({ SUPERGRAPH_PATH: supergraphPath, EVENT_CHANNEL_PREFIX: prefix });
});
afterAll(async () => {
  await graph?.close();
  redis.disconnect();
});

async function subscribersOf(pageId: string): Promise<number> {
  const [, count] = (await redis.call('PUBSUB', 'NUMSUB', `${prefix}cms.page.${pageId}`)) as [string, number];
  return count;
}

async function waitFor(check: () => Promise<boolean>, what: string) {
  for (let waited = 0; waited < 5_000; waited += 50) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function livePage() {
  const seed = await cmsOrganization(graph.client);
  const page = await createPage(seed.owner.client, { orgId: seed.organization.id, document: documentOf(hero('h1')) });
  return { ...seed, page };
}

describe('tearing subscriptions down', () => {
  test('a client that disconnects releases its stream all the way to the subgraph and Redis', async () => {
    const { page, owner } = await livePage();
    const socket = webSocketClient(graph.gateway.url, { token: owner.accessToken });
    await subscribeOverWebSocket(socket, pageEventsSubscription, { pageId: page.id });
    await subscribeOverWebSocket(socket, pageEventsSubscription, { pageId: page.id });
    await waitFor(async () => (await subscribersOf(page.id)) === 1, 'the subscription to reach Redis');
    await socket.dispose();
    await waitFor(async () => (await subscribersOf(page.id)) === 0, 'the Redis subscription to end');
  });

  test('a new supergraph is served without a restart; subscriptions on the old one end with SCHEMA_RELOADED', async () => {
    const { page, owner } = await livePage();
    const socket = webSocketClient(graph.gateway.url, { token: owner.accessToken });
    try {
      const overSocket = await subscribeOverWebSocket(socket, pageEventsSubscription, { pageId: page.id });
      const overSse = await subscribeOverSse(graph.gateway.url, pageEventsSubscription, { pageId: page.id }, { token: owner.accessToken });

      // A file that does not compose is refused; nothing changes for anyone.
      writeFileSync(supergraphPath, `${originalSupergraph}\ntype Broken {`);
      expect(await graph.gateway.reloadSupergraph()).toBe('refused');
      expect(await graph.gateway.reloadSupergraph()).toBe('refused');
      await owner.client.data(submitMutation, {
        pageId: page.id,
        baseVersion: page.version,
        operations: [[ 'children', 0, 'props', 'title', { r: true, i: 'Still served' } ]],
      });
      expect((await overSocket.next()).data?.pageEvents.version).toBe(page.version + 1);
      expect((await overSse.next()).data?.pageEvents.version).toBe(page.version + 1);

      const described = originalSupergraph.replace(
        'The signed-in user, or null when the request carries no access token.',
        'You, as the new graph describes you.',
      );
      writeFileSync(supergraphPath, described);
      expect(await graph.gateway.reloadSupergraph()).toBe('reloaded');
      for (const subscription of [overSocket, overSse]) {
        const ended = await subscription.next();
        expect(ended.errors?.[0]?.extensions?.code).toBe('SCHEMA_RELOADED');
        await subscription.completed();
      }
      overSse.unsubscribe();
      await waitFor(async () => (await subscribersOf(page.id)) === 0, 'the old streams to end');

      // HTTP serves the new graph, and subscribing again works on it.
      const schema = await owner.client.data(`{ __type(name: "Query") { fields { name description } } }`);
      expect(schema.__type.fields.find((field: { name: string }) => field.name === 'me').description).toMatch(
        /^You, as the new graph describes you\./,
      );
      const again = await subscribeOverWebSocket(socket, pageEventsSubscription, { pageId: page.id, afterVersion: page.version });
      expect((await again.next()).data?.pageEvents.version).toBe(page.version + 1);
      expect(await graph.gateway.reloadSupergraph()).toBe('unchanged');
    } finally {
      writeFileSync(supergraphPath, originalSupergraph);
      await socket.dispose();
    }
  });

  test('shutting the gateway down closes sockets with 1001 (clients reconnect elsewhere) and releases every stream', async () => {
    const other = await startTestGraph({ EVENT_CHANNEL_PREFIX: prefix });
    const seed = await cmsOrganization(other.client);
    const page = await createPage(seed.owner.client, { orgId: seed.organization.id, document: documentOf(hero('h1')) });
    let closed: number | undefined;
    const socket = webSocketClient(other.gateway.url, { token: seed.owner.accessToken, onClose: (code) => (closed = code) });
    const subscription = await subscribeOverWebSocket(socket, pageEventsSubscription, { pageId: page.id });
    await waitFor(async () => (await subscribersOf(page.id)) === 1, 'the subscription to reach Redis');
    await other.close();
    await subscription.completed();
    expect(closed).toBe(1001);
    expect(await subscribersOf(page.id)).toBe(0);
    await socket.dispose();
  });
});
