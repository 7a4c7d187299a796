import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestGraph, type TestGraph } from '../testkit/graph.ts';
import { addMember, createOrganization, signUpUser } from '../testkit/seed.ts';
import { subscribeOverWebSocket, webSocketClient } from '../testkit/subscriptions.ts';

/**
 * Live fan-out: subscribers with the same operation, variables and actor share one plan,
 * one completion per event, and (when they arrive before it has sent anything) one stream
 * to the subgraph; anyone else gets their own.
 */
let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(async () => {
  await graph?.close();
});

// organization { viewerRole } is completed by identity, and differs per user.
const feed = `subscription ($orgId: ID!) { auditEntryAdded(orgId: $orgId) { action organization { name viewerRole } } }`;
const rename = `mutation ($id: ID!, $name: String!) { updateOrganization(id: $id, input: { name: $name }) { name } }`;

async function counter(name: string, outcome: string): Promise<number> {
  const response = await fetch(new URL('/metrics', graph.gateway.url));
  const text = await response.text();
  const line = text.split('\n').find((entry) => entry.startsWith(`${name}{outcome="${outcome}"}`));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

async function readings() {
  return {
    planned: await counter('tnx_gateway_subscription_plans_total', 'planned'),
    reused: await counter('tnx_gateway_subscription_plans_total', 'reused'),
    completed: await counter('tnx_gateway_subscription_completions_total', 'completed'),
    shared: await counter('tnx_gateway_subscription_completions_total', 'shared'),
    opened: await counter('tnx_gateway_subscription_upstreams_total', 'opened'),
    joined: await counter('tnx_gateway_subscription_upstreams_total', 'joined'),
  };
}

describe('live fan-out', () => {
  test("one user's subscribers share each event's completion; another user's own view is completed for them", async () => {
    const owner = await signUpUser(graph.client);
    const admin = await signUpUser(graph.client);
    const organization = await createOrganization(owner);
    await addMember(owner, organization.id, admin, 'ADMIN');
    const ownerSockets = [0, 1].map(() => webSocketClient(graph.gateway.url, { token: owner.accessToken }));
    const adminSocket = webSocketClient(graph.gateway.url, { token: admin.accessToken });
    try {
      // Warm: the operation's plan exists before the measured subscriptions.
      const first = await subscribeOverWebSocket(ownerSockets[0]!, feed, { orgId: organization.id });
      const before = await readings();
      const others = [
        await subscribeOverWebSocket(ownerSockets[0]!, feed, { orgId: organization.id }),
        await subscribeOverWebSocket(ownerSockets[1]!, feed, { orgId: organization.id }),
      ];
      const admins = await subscribeOverWebSocket(adminSocket, feed, { orgId: organization.id });
      await owner.client.data(rename, { id: organization.id, name: 'Fanned out' });

      for (const subscription of [first, ...others]) {
        expect((await subscription.next()).data?.auditEntryAdded).toEqual({
          action: 'organization.updated',
          organization: { name: 'Fanned out', viewerRole: 'OWNER' },
        });
      }
      expect((await admins.next()).data?.auditEntryAdded).toEqual({
        action: 'organization.updated',
        organization: { name: 'Fanned out', viewerRole: 'ADMIN' },
      });
      const after = await readings();
      // Three new subscriptions, none planned again.
      expect(after.planned - before.planned).toBe(0);
      expect(after.reused - before.reused).toBe(3);
      // Four deliveries: one completion for the owner's three, one for the admin.
      expect(after.completed - before.completed).toBe(2);
      expect(after.shared - before.shared).toBe(2);
      // The owner's later two joined the first one's stream (it had sent nothing yet); the
      // admin's has its own.
      expect(after.joined - before.joined).toBe(2);
      expect(after.opened - before.opened).toBe(1);
    } finally {
      for (const socket of [...ownerSockets, adminSocket]) await socket.dispose();
    }
  });

  test('subscriptions with other variables are completed apart, each with its own data', async () => {
    const owner = await signUpUser(graph.client);
    const [one, two] = [await createOrganization(owner), await createOrganization(owner)];
    const socket = webSocketClient(graph.gateway.url, { token: owner.accessToken });
    try {
      const onOne = await subscribeOverWebSocket(socket, feed, { orgId: one.id });
      const onTwo = await subscribeOverWebSocket(socket, feed, { orgId: two.id });
      const before = await readings();
      await owner.client.data(rename, { id: one.id, name: 'First renamed' });
      await owner.client.data(rename, { id: two.id, name: 'Second renamed' });
      expect((await onOne.next()).data?.auditEntryAdded.organization.name).toBe('First renamed');
      expect((await onTwo.next()).data?.auditEntryAdded.organization.name).toBe('Second renamed');
      const after = await readings();
      expect(after.completed - before.completed).toBe(2);
      expect(after.shared - before.shared).toBe(0);
      expect(after.joined - before.joined).toBe(0);
    } finally {
      await socket.dispose();
    }
  });
});
