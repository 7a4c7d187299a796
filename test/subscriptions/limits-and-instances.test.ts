import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestGraph, type TestGraph } from '../testkit/graph.ts';
import { createOrganization, signUpUser } from '../testkit/seed.ts';
import { subscribeOverWebSocket, webSocketClient } from '../testkit/subscriptions.ts';

/**
 * Two complete instances on one Postgres and one Redis (sharing their event channels, as
 * one deployment does), with small subscription limits so they are quick to reach.
 */
let first: TestGraph;
let second: TestGraph;
beforeAll(async () => {
  const env = {
    EVENT_CHANNEL_PREFIX: `tnx-test-${randomUUID()}:`,
    SUBSCRIPTIONS_PER_CONNECTION: '2',
    SUBSCRIPTIONS_PER_USER: '3',
  };
  [first, second] = await Promise.all([startTestGraph(env), startTestGraph(env)]);
});
afterAll(async () => {
  await Promise.all([first?.close(), second?.close()]);
});

const feed = `subscription ($orgId: ID!) { auditEntryAdded(orgId: $orgId) { action organization { name } } }`;
const rename = `mutation ($id: ID!, $name: String!) { updateOrganization(id: $id, input: { name: $name }) { name } }`;

describe('subscriptions across instances', () => {
  test('a change made through one gateway reaches a subscriber of another', async () => {
    const owner = await signUpUser(first.client);
    const organization = await createOrganization(owner);
    const client = webSocketClient(first.gateway.url, { token: owner.accessToken });
    try {
      const subscription = await subscribeOverWebSocket(client, feed, { orgId: organization.id });
      await second.client.as(owner.accessToken).data(rename, { id: organization.id, name: 'Elsewhere' });
      expect((await subscription.next()).data?.auditEntryAdded).toEqual({
        action: 'organization.updated',
        organization: { name: 'Elsewhere' },
      });
    } finally {
      await client.dispose();
    }
  });
});

describe('subscription limits', () => {
  test('a connection holds at most SUBSCRIPTIONS_PER_CONNECTION subscriptions', async () => {
    const owner = await signUpUser(first.client);
    const organization = await createOrganization(owner);
    const client = webSocketClient(first.gateway.url, { token: owner.accessToken });
    try {
      await subscribeOverWebSocket(client, feed, { orgId: organization.id });
      await subscribeOverWebSocket(client, feed, { orgId: organization.id });
      const third = await subscribeOverWebSocket(client, feed, { orgId: organization.id });
      const refusal = await third.next();
      expect(refusal.errors?.[0]?.message).toMatch(/At most 2 subscriptions per connection/);
    } finally {
      await client.dispose();
    }
  });

  test('a user holds at most SUBSCRIPTIONS_PER_USER on a gateway, and gets places back on disconnect', async () => {
    const owner = await signUpUser(first.client);
    const organization = await createOrganization(owner);
    const clients = [0, 1, 2].map(() => webSocketClient(first.gateway.url, { token: owner.accessToken }));
    const extra = webSocketClient(first.gateway.url, { token: owner.accessToken });
    try {
      for (const client of clients) await subscribeOverWebSocket(client, feed, { orgId: organization.id });
      const refused = await subscribeOverWebSocket(extra, feed, { orgId: organization.id });
      expect((await refused.next()).errors?.[0]?.message).toMatch(/At most 3 subscriptions per user/);
      await clients[0]!.dispose();
      await new Promise((resolve) => setTimeout(resolve, 300));
      const admitted = await subscribeOverWebSocket(extra, feed, { orgId: organization.id });
      await owner.client.data(rename, { id: organization.id, name: 'Room again' });
      expect((await admitted.next()).data?.auditEntryAdded.action).toBe('organization.updated');
    } finally {
      for (const client of [...clients, extra]) await client.dispose();
    }
  });
});
