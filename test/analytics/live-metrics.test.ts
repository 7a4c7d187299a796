import { developmentSecrets, signedClaimsHeaders, type Claims } from '@token-nexus/shared';
import { fetch } from 'undici';
import { describe, expect, test } from 'vitest';
import { errorCodes } from '../testkit/client.ts';
import { addMember, createOrganization, signUpUser } from '../testkit/seed.ts';
import { subscribeOverWebSocket, webSocketClient } from '../testkit/subscriptions.ts';
import { useTestGraphOnOwnDatabase } from '../testkit/use-test-graph.ts';
import { waitForChainCounted } from './audit-history.ts';

/*
 * A database of this file's own. Live updates go out on the event bus of the deployment
 * whose instance ran the ingest round; the test run's graphs share one database but each
 * has a bus of its own (its own channel prefix), so on the shared database another file's
 * graph could run the round and publish where this file's subscribers do not listen.
 */
const fixture = useTestGraphOnOwnDatabase({ ANALYTICS_INGEST_INTERVAL_MS: '50', API_USAGE_FLUSH_MS: '200' });

const metricUpdated = `subscription ($orgId: ID!, $names: [String!]!) {
  metricUpdated(orgId: $orgId, names: $names) { orgId name at hour hourValue day dayValue level }
}`;

describe('metricUpdated over graphql-ws through the gateway', () => {
  test("a member joining updates members.count live, with the gauge's level", async () => {
    const owner = await signUpUser(fixture.graph.client);
    const { id: orgId } = await createOrganization(owner);
    const socket = webSocketClient(fixture.graph.gateway.url, { token: owner.accessToken });
    try {
      // The organization's creation counted first, so the event awaited is the join's.
      await waitForChainCounted(fixture.db, orgId);
      const live = await subscribeOverWebSocket(socket, metricUpdated, { orgId, names: ['members.count'] });
      await addMember(owner, orgId, await signUpUser(fixture.graph.client), 'MEMBER');
      const event = await live.next(15_000);
      expect(event.errors).toBeUndefined();
      expect(event.data?.metricUpdated).toMatchObject({ orgId, name: 'members.count', level: 2 });
      // A gauge's day value is its change over the day: the owner, then the member.
      expect(event.data?.metricUpdated.dayValue).toBe(2);
      live.unsubscribe();
    } finally {
      await socket.dispose();
    }
  });

  test('sends at most one event a second per metric, the latest values', async () => {
    const owner = await signUpUser(fixture.graph.client);
    const { id: orgId } = await createOrganization(owner);
    const socket = webSocketClient(fixture.graph.gateway.url, { token: owner.accessToken });
    try {
      const live = await subscribeOverWebSocket(socket, metricUpdated, { orgId, names: ['audit.entries'] });
      const started = Date.now();
      // Ten changes in about a second, each an audit entry counted by its own round.
      for (let rename = 0; rename < 10; rename += 1) {
        await owner.client.data(`mutation ($id: ID!, $name: String!) { updateOrganization(id: $id, input: { name: $name }) { id } }`, {
          id: orgId,
          name: `Renamed ${rename}`,
        });
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      // Until the last rename is counted (a slow machine's rounds may trail behind).
      const until = Date.now() + 15_000;
      while (!live.pending().some((event) => event.data?.metricUpdated.dayValue === 11) && Date.now() < until) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const events = live.pending().map((event) => event.data?.metricUpdated);
      const seconds = (Date.now() - started) / 1000;
      expect(events.at(-1).dayValue).toBe(11);
      // Ten changes spread over a second or more, but never more than one event a second.
      expect(events.length).toBeLessThanOrEqual(Math.ceil(seconds) + 1);
      expect(events.length).toBeLessThan(10);
      live.unsubscribe();
    } finally {
      await socket.dispose();
    }
  });

  test('names must be metrics of the catalogue, and a stranger is FORBIDDEN', async () => {
    const owner = await signUpUser(fixture.graph.client);
    const { id: orgId } = await createOrganization(owner);
    const stranger = await signUpUser(fixture.graph.client);
    const socket = webSocketClient(fixture.graph.gateway.url, { token: stranger.accessToken });
    try {
      const refused = await subscribeOverWebSocket(socket, metricUpdated, { orgId, names: ['members.count'] });
      expect(errorCodes((await refused.next()) as never)).toEqual(['FORBIDDEN']);
      const ownerSocket = webSocketClient(fixture.graph.gateway.url, { token: owner.accessToken });
      const unknown = await subscribeOverWebSocket(ownerSocket, metricUpdated, { orgId, names: ['members.cuont'] });
      const answer = await unknown.next();
      expect(errorCodes(answer as never)).toEqual(['BAD_USER_INPUT']);
      expect(answer.errors?.[0]?.message).toContain('Valid names: members.count');
      await ownerSocket.dispose();
    } finally {
      await socket.dispose();
    }
  });
});

describe('api.requests', () => {
  test("counts a program's operations for its organization and a user's for the organization they name", async () => {
    const owner = await signUpUser(fixture.graph.client);
    const { id: orgId } = await createOrganization(owner);
    const created = await owner.client.data(
      `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }`,
      { input: { orgId, name: 'Reporting', scopes: ['analytics:read'] } },
    );
    const program = fixture.graph.client.as(created.createApiKey.secret);
    const read = `query ($orgId: ID!) { metricSummary(orgId: $orgId, name: "api.requests", range: { last: "1d" }, dimension: "credential") {
      value breakdown { key value } } }`;
    for (let call = 0; call < 3; call += 1) await program.data(read, { orgId });
    for (let call = 0; call < 2; call += 1) await owner.client.data(read, { orgId });
    // Anonymous, and naming no organization: counted for nobody.
    await fixture.graph.client.request(read, { orgId });
    await owner.client.data('{ me { id } }');
    const counted = async () => {
      const rows = await fixture.db.query(
        `SELECT dimension_name || ':' || dimension AS dimension, sum(value)::int AS value FROM analytics.rollups
         WHERE organization_id = $1 AND metric = 'api.requests' AND grain = 'DAY' GROUP BY 1 ORDER BY 1`,
        [orgId],
      );
      return Object.fromEntries(rows.rows.map((row) => [row.dimension, row.value]));
    };
    const until = Date.now() + 15_000;
    while ((await counted())[':'] !== 5 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await counted()).toEqual({ ':': 5, 'credential:api_key': 3, 'credential:user': 2 });
    // The read below is itself one of the owner's operations: on a slow machine its own
    // count can be reported and ingested before it reads the rollups.
    const summary = (await owner.client.data(read, { orgId })).metricSummary;
    const ownRead = summary.value - 5;
    expect([0, 1]).toContain(ownRead);
    expect(summary.breakdown).toEqual([
      { key: 'api_key', value: 3 },
      { key: 'user', value: 2 + ownRead },
    ]);
  });

  test('takes reports only from a gateway, and only well-formed ones, storing nothing otherwise', async () => {
    const url = new URL('/internal/api-usage', fixture.graph.subgraphs.analytics.url).toString();
    const orgId = '0195f1c2-0000-7000-8000-00000000beef';
    const body = JSON.stringify({ counts: [{ organizationId: orgId, credential: 'api_key', count: 1_000, minute: new Date().toISOString() }] });
    const unsigned = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(unsigned.status).toBe(401);
    const claims: Claims = { v: 1, actor: { type: 'anonymous' }, requestId: 'test', clientIp: null, userAgent: null };
    const forged = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signedClaimsHeaders('not the deployment secret, but long enough', claims, body) },
      body,
    });
    expect(forged.status).toBe(401);
    const malformed = JSON.stringify({ counts: [{ organizationId: orgId, credential: 'robot', count: 1, minute: 'soon' }] });
    const refused = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signedClaimsHeaders(developmentSecrets.gatewaySigning, claims, malformed) },
      body: malformed,
    });
    expect(refused.status).toBe(400);
    const stored = await fixture.db.query('SELECT count(*)::int AS n FROM analytics.pending_events WHERE organization_id = $1', [orgId]);
    const counted = await fixture.db.query('SELECT count(*)::int AS n FROM analytics.rollups WHERE organization_id = $1', [orgId]);
    expect([stored.rows[0].n, counted.rows[0].n]).toEqual([0, 0]);
  });
});
