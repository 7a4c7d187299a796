import pg from 'pg';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { errorCodes } from '../testkit/client.ts';
import { startTestGraph, type TestGraph } from '../testkit/graph.ts';
import { addMember, createOrganization, signUpUser, type SignedUpUser } from '../testkit/seed.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../testkit/webhook-receiver.ts';

/** A receiver the operator allows (it is on loopback), and one it does not. */
let allowed: WebhookReceiver;
let forbidden: WebhookReceiver;
let answer = 204;
let graph: TestGraph;
let db: pg.Client;
beforeAll(async () => {
  allowed = await startWebhookReceiver((_request, response) => response.writeHead(answer).end('thanks'));
  forbidden = await startWebhookReceiver();
  graph = await startTestGraph({ WEBHOOK_ALLOW_LIST: `127.0.0.1:${allowed.port}` });
  db = new pg.Client({ connectionString: inject('databaseUrl') });
  await db.connect();
});
afterAll(async () => {
  await db?.end();
  await graph?.close();
  await allowed?.close();
  await forbidden?.close();
});

const create = `mutation ($input: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(input: $input) { secret endpoint { id url eventTypes enabled } }
}`;
const testMutation = `mutation ($id: ID!) { testWebhook(endpointId: $id) {
  webhookId eventType status attempts { number statusCode latencyMs responseBody error } } }`;

async function endpointFor(owner: SignedUpUser, orgId: string, url: string) {
  const data = await owner.client.data(create, { input: { orgId, url, eventTypes: ['member.added', 'token.deployed'] } });
  return data.createWebhookEndpoint as { secret: string; endpoint: { id: string } };
}

describe('webhook endpoints', () => {
  test('the secret is shown once and stored only encrypted; a test event arrives signed, verified by the standardwebhooks package', async () => {
    const owner = await signUpUser(graph.client);
    const organization = await createOrganization(owner);
    const { secret, endpoint } = await endpointFor(owner, organization.id, `${allowed.url}/hooks`);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]+$/);
    const read = await owner.client.request(`query ($orgId: ID!) { webhookEndpoints(orgId: $orgId) { id url } }`, { orgId: organization.id });
    expect(JSON.stringify(read)).not.toContain(secret.slice(6));
    const stored = await db.query('SELECT encrypted_secret FROM integrations.webhook_endpoints WHERE id = $1', [endpoint.id]);
    expect(stored.rows[0].encrypted_secret).toMatch(/^v1:/);
    expect(stored.rows[0].encrypted_secret).not.toContain(secret.slice(6));

    const before = allowed.requests.length;
    const delivery = (await owner.client.data(testMutation, { id: endpoint.id })).testWebhook;
    expect(delivery).toMatchObject({ eventType: 'webhook.test', status: 'DELIVERED', attempts: [{ number: 1, statusCode: 204, error: null }] });
    const received = allowed.requests.slice(before);
    expect(received).toHaveLength(1);
    expect(received[0]!.headers['webhook-id']).toBe(delivery.webhookId);
    const verified = new Webhook(secret).verify(received[0]!.body, received[0]!.headers as Record<string, string>) as { type: string };
    expect(verified.type).toBe('webhook.test');
    expect(() => new Webhook(secret).verify(`${received[0]!.body} `, received[0]!.headers as Record<string, string>)).toThrow();
  });

  test('after a rotation both secrets sign during the overlap, and a receiver with either verifies', async () => {
    const owner = await signUpUser(graph.client);
    const organization = await createOrganization(owner);
    const { secret: oldSecret, endpoint } = await endpointFor(owner, organization.id, `${allowed.url}/rotating`);
    const rotated = await owner.client.data(`mutation ($id: ID!) { rotateWebhookSecret(id: $id, overlapHours: 2) { secret endpoint { previousSecretExpiresAt } } }`, {
      id: endpoint.id,
    });
    const newSecret = rotated.rotateWebhookSecret.secret;
    expect(newSecret).not.toBe(oldSecret);
    expect(rotated.rotateWebhookSecret.endpoint.previousSecretExpiresAt).not.toBeNull();
    const before = allowed.requests.length;
    await owner.client.data(testMutation, { id: endpoint.id });
    const [request] = allowed.requests.slice(before);
    expect(String(request!.headers['webhook-signature']).split(' ')).toHaveLength(2);
    for (const secret of [oldSecret, newSecret]) {
      expect(() => new Webhook(secret).verify(request!.body, request!.headers as Record<string, string>)).not.toThrow();
    }
  });

  test('a private destination is refused without reaching it; a 410 disables the endpoint; a 500 is recorded', async () => {
    const owner = await signUpUser(graph.client);
    const organization = await createOrganization(owner);
    const blocked = await endpointFor(owner, organization.id, `${forbidden.url}/x`);
    const refused = (await owner.client.data(testMutation, { id: blocked.endpoint.id })).testWebhook;
    expect(refused.status).toBe('FAILED');
    expect(refused.attempts[0].error).toMatch(/loopback|private|refused/i);
    expect(forbidden.requests).toHaveLength(0);
    const metadata = await endpointFor(owner, organization.id, 'http://169.254.169.254/latest/meta-data');
    expect((await owner.client.data(testMutation, { id: metadata.endpoint.id })).testWebhook.status).toBe('FAILED');

    const target = await endpointFor(owner, organization.id, `${allowed.url}/status`);
    answer = 500;
    const failed = (await owner.client.data(testMutation, { id: target.endpoint.id })).testWebhook;
    expect(failed).toMatchObject({ status: 'FAILED', attempts: [{ statusCode: 500, responseBody: 'thanks' }] });
    answer = 410;
    await owner.client.data(testMutation, { id: target.endpoint.id });
    answer = 204;
    const disabled = await owner.client.data(`query ($id: ID!) { webhookEndpoint(id: $id) { enabled disabledReason deliveries { status } } }`, {
      id: target.endpoint.id,
    });
    expect(disabled.webhookEndpoint).toMatchObject({ enabled: false, disabledReason: 'The receiver answered 410 Gone.' });
    expect(disabled.webhookEndpoint.deliveries).toHaveLength(2);
    expect(errorCodes(await owner.client.request(testMutation, { id: target.endpoint.id }))).toEqual(['BAD_USER_INPUT']);
  });

  test('bad input and other people are refused, and nothing is written', async () => {
    const owner = await signUpUser(graph.client);
    const organization = await createOrganization(owner);
    const member = await signUpUser(graph.client);
    await addMember(owner, organization.id, member, 'MEMBER');
    for (const input of [
      { url: 'ftp://example.com/hook', eventTypes: ['member.added'] },
      { url: 'https://user:pass@example.com/hook', eventTypes: ['member.added'] },
      { url: 'https://example.com/hook', eventTypes: [] },
      { url: 'https://example.com/hook', eventTypes: ['no.such.event'] },
    ]) {
      const response = await owner.client.request(create, { input: { orgId: organization.id, ...input } });
      expect(errorCodes(response), JSON.stringify(input)).toEqual(['BAD_USER_INPUT']);
    }
    const asMember = await member.client.request(create, { input: { orgId: organization.id, url: 'https://example.com/hook', eventTypes: ['member.added'] } });
    expect(errorCodes(asMember)).toEqual(['FORBIDDEN']);
    const rows = await db.query('SELECT count(*)::int AS n FROM integrations.webhook_endpoints WHERE organization_id = $1', [organization.id]);
    expect(rows.rows[0].n).toBe(0);
    const { endpoint } = await endpointFor(owner, organization.id, 'https://example.com/hook');
    const stranger = await signUpUser(graph.client);
    expect(errorCodes(await stranger.client.request(testMutation, { id: endpoint.id }))).toEqual(['FORBIDDEN']);
  });
});
