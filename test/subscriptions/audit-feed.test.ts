import { describe, expect, test } from 'vitest';
import { addMember, createOrganization, signUpUser } from '../testkit/seed.ts';
import { subscribeOverSse, subscribeOverWebSocket, webSocketClient } from '../testkit/subscriptions.ts';
import { useTestGraph } from '../testkit/use-test-graph.ts';

const fixture = useTestGraph();

const feed = `subscription ($orgId: ID!) {
  auditEntryAdded(orgId: $orgId) { action actor { id displayName } organization { id name } }
}`;
const rename = `mutation ($id: ID!, $name: String!) { updateOrganization(id: $id, input: { name: $name }) { name } }`;

describe('the live audit feed through the gateway', () => {
  test('over WebSocket: an event arrives with fields from other subgraphs resolved', async () => {
    const owner = await signUpUser(fixture.graph.client, { displayName: 'Wanda Watcher' });
    const organization = await createOrganization(owner);
    const client = webSocketClient(fixture.graph.gateway.url, { token: owner.accessToken });
    try {
      const subscription = await subscribeOverWebSocket(client, feed, { orgId: organization.id });
      await owner.client.data(rename, { id: organization.id, name: 'Live Co' });
      const event = await subscription.next();
      expect(event).toEqual({
        data: {
          auditEntryAdded: {
            action: 'organization.updated',
            actor: { id: owner.id, displayName: 'Wanda Watcher' },
            organization: { id: organization.id, name: 'Live Co' },
          },
        },
      });
      subscription.unsubscribe();
    } finally {
      await client.dispose();
    }
  });

  test('over Server-Sent Events: the same event', async () => {
    const owner = await signUpUser(fixture.graph.client);
    const organization = await createOrganization(owner);
    const subscription = await subscribeOverSse(fixture.graph.gateway.url, feed, { orgId: organization.id }, { token: owner.accessToken });
    try {
      await owner.client.data(rename, { id: organization.id, name: 'Streamed' });
      const event = await subscription.next();
      expect(event.data?.auditEntryAdded).toMatchObject({ action: 'organization.updated', organization: { name: 'Streamed' } });
    } finally {
      subscription.unsubscribe();
    }
  });

  test('a bad token closes the socket with 4403', async () => {
    let closed: number | undefined;
    const client = webSocketClient(fixture.graph.gateway.url, { token: 'not-a-token', onClose: (code) => (closed = code) });
    const subscription = await subscribeOverWebSocket(client, feed, { orgId: '00000000-0000-7000-8000-000000000000' });
    await subscription.completed();
    expect(closed).toBe(4403);
    await client.dispose();
  });

  test('a MEMBER is refused with FORBIDDEN; an admin who is demoted stops receiving', async () => {
    const owner = await signUpUser(fixture.graph.client);
    const admin = await signUpUser(fixture.graph.client);
    const member = await signUpUser(fixture.graph.client);
    const organization = await createOrganization(owner);
    await addMember(owner, organization.id, admin, 'ADMIN');
    await addMember(owner, organization.id, member, 'MEMBER');

    const memberClient = webSocketClient(fixture.graph.gateway.url, { token: member.accessToken });
    const refused = await subscribeOverWebSocket(memberClient, feed, { orgId: organization.id });
    const refusal = await refused.next();
    expect(refusal.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    await memberClient.dispose();

    const adminClient = webSocketClient(fixture.graph.gateway.url, { token: admin.accessToken });
    try {
      const watching = await subscribeOverWebSocket(adminClient, feed, { orgId: organization.id });
      await owner.client.data(rename, { id: organization.id, name: 'Before' });
      expect((await watching.next()).data?.auditEntryAdded.action).toBe('organization.updated');
      await owner.client.data(
        `mutation ($o: ID!, $u: ID!) { updateMemberRole(orgId: $o, userId: $u, role: VIEWER) { role } }`,
        { o: organization.id, u: admin.id },
      );
      // The demotion's own entry is the first the demoted admin may no longer see.
      const cut = await watching.next();
      expect(cut.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      await watching.completed();
    } finally {
      await adminClient.dispose();
    }
  });
});
