import pg from 'pg';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestGraph, type TestGraph } from '../testkit/graph.ts';
import { createScratchDatabase, type ScratchDatabase } from '../testkit/scratch-database.ts';
import { addMember, createOrganization, signUpUser } from '../testkit/seed.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../testkit/webhook-receiver.ts';

/**
 * Events from the domains to receivers, on a database of this file's own (delivery jobs
 * are shared by every graph on a database, and another file's graph does not allow this
 * file's receiver). The retry schedule runs 50,000 times faster: 5 min → 6 ms, 10 h → 0.7 s.
 */
let database: ScratchDatabase;
let graph: TestGraph;
let db: pg.Client;
let receiver: WebhookReceiver;
/** What the receiver answers next, in order; 204 once the list is empty. */
const answers: number[] = [];
/** Requests to `/restart` that the receiver leaves unanswered, first. */
let hangs = 0;
const graphEnv = () => ({
  DATABASE_URL: database.url,
  WEBHOOK_ALLOW_LIST: `127.0.0.1:${receiver.port}`,
  WEBHOOK_DISPATCH_INTERVAL_MS: '100',
  WEBHOOK_RETRY_SCALE: '0.00002',
  WEBHOOK_TIMEOUT_MS: '1500',
});
beforeAll(async () => {
  receiver = await startWebhookReceiver((request, response) => {
    if (request.path === '/restart' && hangs > 0) {
      hangs--;
      return;
    }
    response.writeHead(answers.shift() ?? 204).end();
  });
  database = await createScratchDatabase();
  graph = await startTestGraph(graphEnv(), { migrate: true });
  db = new pg.Client({ connectionString: database.url });
  await db.connect();
});
afterAll(async () => {
  await db?.end();
  await graph?.close();
  await database?.drop();
  await receiver?.close();
});

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  let last = await read();
  for (const started = Date.now(); !done(last); last = await read()) {
    if (Date.now() - started > timeoutMs) throw new Error(`never got there: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return last;
}

const deliveries = `query ($id: ID!, $status: WebhookDeliveryStatus) { webhookEndpoint(id: $id) {
  deliveries(status: $status) { id webhookId eventType status attempts { number statusCode } } } }`;

describe('events reach subscribed endpoints', () => {
  test('a committed change is delivered, retried under one webhook-id until it succeeds; a rolled-back one sends nothing', async () => {
    const owner = await signUpUser(graph.client);
    const organization = await createOrganization(owner);
    const created = await owner.client.data(
      `mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret endpoint { id } } }`,
      { input: { orgId: organization.id, url: `${receiver.url}/events`, eventTypes: ['member.added'] } },
    );
    const { secret, endpoint } = created.createWebhookEndpoint;
    const newcomer = await signUpUser(graph.client);
    answers.push(500, 503);
    const before = receiver.requests.length;
    await addMember(owner, organization.id, newcomer, 'MEMBER');
    // Refused (already a member): rolled back, so no event.
    const again = await owner.client.request(
      `mutation ($orgId: ID!, $email: String!) { addMember(orgId: $orgId, email: $email, role: VIEWER) { role } }`,
      { orgId: organization.id, email: newcomer.email },
    );
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');

    const delivered = await until(
      async () => (await owner.client.data(deliveries, { id: endpoint.id })).webhookEndpoint.deliveries,
      (rows: any[]) => rows.length === 1 && rows[0].status === 'DELIVERED',
    );
    expect(delivered[0].attempts.map((attempt: any) => attempt.statusCode)).toEqual([500, 503, 204]);
    const received = receiver.requests.slice(before);
    expect(received).toHaveLength(3);
    expect(new Set(received.map((request) => request.headers['webhook-id']))).toEqual(new Set([delivered[0].webhookId]));
    const payload = new Webhook(secret).verify(received[2]!.body, received[2]!.headers as Record<string, string>) as { type: string; data: Record<string, unknown> };
    expect(payload).toMatchObject({ type: 'member.added', data: { userId: newcomer.id, role: 'MEMBER' } });
    const events = await db.query(`SELECT count(*)::int AS n FROM integrations.webhook_events WHERE organization_id = $1`, [organization.id]);
    expect(events.rows[0].n).toBe(1);
  });

  test('a delivery that fails every attempt goes to the dead letters after 8, and a replay delivers it with the same id', async () => {
    const owner = await signUpUser(graph.client);
    const organization = await createOrganization(owner);
    const created = await owner.client.data(
      `mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id } } }`,
      { input: { orgId: organization.id, url: `${receiver.url}/dead`, eventTypes: ['member.added'] } },
    );
    const endpointId = created.createWebhookEndpoint.endpoint.id;
    answers.push(...Array.from({ length: 8 }, () => 500));
    await addMember(owner, organization.id, await signUpUser(graph.client), 'VIEWER');
    const dead = await until(
      async () => (await owner.client.data(deliveries, { id: endpointId, status: 'DEAD' })).webhookEndpoint.deliveries,
      (rows: any[]) => rows.length === 1,
      40_000,
    );
    expect(dead[0].attempts).toHaveLength(8);
    const replayed = await owner.client.data(`mutation ($id: ID!) { replayWebhookDelivery(id: $id) { status webhookId } }`, { id: dead[0].id });
    expect(replayed.replayWebhookDelivery).toEqual({ status: 'PENDING', webhookId: dead[0].webhookId });
    const after = await until(
      async () => (await owner.client.data(deliveries, { id: endpointId })).webhookEndpoint.deliveries,
      (rows: any[]) => rows[0].status === 'DELIVERED',
    );
    expect(after[0].attempts.map((attempt: any) => attempt.statusCode).at(-1)).toBe(204);
    expect(after[0].attempts).toHaveLength(9);
  }, 60_000);

  test('a replica stopped in the middle of an attempt loses nothing: another one delivers it', async () => {
    const owner = await signUpUser(graph.client);
    const organization = await createOrganization(owner);
    const created = await owner.client.data(
      `mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id } } }`,
      { input: { orgId: organization.id, url: `${receiver.url}/restart`, eventTypes: ['member.added'] } },
    );
    const endpointId = created.createWebhookEndpoint.endpoint.id;
    hangs = 1;
    const before = receiver.requests.filter((request) => request.path === '/restart').length;
    await addMember(owner, organization.id, await signUpUser(graph.client), 'VIEWER');
    // The attempt is under way (the receiver holds it) when the whole graph stops.
    await until(
      async () => receiver.requests.filter((request) => request.path === '/restart').length,
      (count) => count > before,
    );
    await graph.close();
    graph = await startTestGraph(graphEnv());
    const client = owner.client.withUrl(graph.gateway.url);
    const rows = await until(
      async () => (await client.data(deliveries, { id: endpointId })).webhookEndpoint.deliveries,
      (found: any[]) => found.length === 1 && found[0].status === 'DELIVERED',
    );
    expect(rows[0].attempts.map((attempt: any) => attempt.statusCode)).toEqual([null, 204]);
  }, 60_000);
});
