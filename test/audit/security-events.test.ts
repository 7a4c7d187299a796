import { randomUUID } from 'node:crypto';
import { createDownloadSigner } from '@token-nexus/audit/download-links';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { errorCodes, type GraphQLClient } from '../testkit/client.ts';
import { startTestGraph } from '../testkit/graph.ts';
import { addMember, createOrganization, signUpUser, type SignedUpUser } from '../testkit/seed.ts';
import { useTestGraphOnOwnDatabase } from '../testkit/use-test-graph.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../testkit/webhook-receiver.ts';

/*
 * Security events read from the audit trail, and the alerts their bursts raise. On a
 * database of this file's own: a system administrator's view spans every organization,
 * and webhook deliveries are shared by every graph on a database.
 */

let receiver: WebhookReceiver;
beforeAll(async () => {
  receiver = await startWebhookReceiver();
});
afterAll(async () => {
  await receiver?.close();
});

/** One deployment: a second graph given the same environment counts bursts with this one. */
const deployment = () => ({
  EVENT_CHANNEL_PREFIX: `tnx-test-${randomUUID()}:`,
  WEBHOOK_ALLOW_LIST: `127.0.0.1:${receiver.port}`,
  WEBHOOK_DISPATCH_INTERVAL_MS: '100',
});
let environment: Record<string, string>;
const fixture = useTestGraphOnOwnDatabase(() => (environment = deployment()));

const securityEvents = `query ($orgId: ID, $from: DateTime!, $to: DateTime!, $kind: SecurityEventKind, $first: Int, $after: String) {
  securityEvents(orgId: $orgId, from: $from, to: $to, kind: $kind, first: $first, after: $after) {
    edges { cursor node {
      id kind action severity organization { id } actorType actorId actor { id displayName }
      targetType targetId ipAddress userAgent occurredAt details
    } }
    pageInfo { hasNextPage endCursor }
  }
}`;

const logIn = `mutation ($input: LogInInput!) { logIn(input: $input) { accessToken } }`;

/** The period around now that every read below covers. */
function aroundNow() {
  return { from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date(Date.now() + 3_600_000).toISOString() };
}

async function events(client: GraphQLClient, variables: Record<string, unknown>): Promise<any[]> {
  const data = await client.data(securityEvents, { ...aroundNow(), ...variables });
  return data.securityEvents.edges.map((edge: any) => edge.node);
}

async function systemAdministrator(): Promise<SignedUpUser> {
  const operator = await signUpUser(fixture.graph.client);
  await fixture.db.query('UPDATE identity.users SET is_system_admin = true WHERE id = $1', [operator.id]);
  return operator;
}

/** An organization with an OWNER, an ADMIN and a VIEWER. */
async function organization() {
  const owner = await signUpUser(fixture.graph.client);
  const admin = await signUpUser(fixture.graph.client);
  const viewer = await signUpUser(fixture.graph.client);
  const { id } = await createOrganization(owner);
  await addMember(owner, id, admin, 'ADMIN');
  await addMember(owner, id, viewer, 'VIEWER');
  return { id, owner, admin, viewer };
}

/** A refused attempt by `user` to read the organization's trail: one `access.denied`. */
async function refusedAccess(user: SignedUpUser, orgId: string): Promise<void> {
  const response = await user.client.request(`query ($orgId: ID!) { auditLogs(orgId: $orgId) { edges { cursor } } }`, { orgId });
  expect(errorCodes(response)).toEqual(['FORBIDDEN']);
}

async function failLogIns(client: GraphQLClient, email: string, times: number): Promise<void> {
  for (let attempt = 0; attempt < times; attempt++) {
    // Each from its own address (the client's default), as a distributed attack would:
    // `logIn` allows 10 tries per address and email.
    const response = await client.request(logIn, { input: { email, password: `wrong-${attempt}` } });
    expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
  }
}

async function alertEntries(userId: string): Promise<number> {
  const { rows } = await fixture.db.query(
    `SELECT count(*)::int AS count FROM audit.entries WHERE action = 'security.alert' AND target_id = $1`,
    [userId],
  );
  return rows[0].count;
}

async function alertWebhookEvents(userId: string): Promise<number> {
  const { rows } = await fixture.db.query(
    `SELECT count(*)::int AS count FROM integrations.webhook_events WHERE type = 'security.alert' AND data->>'userId' = $1`,
    [userId],
  );
  return rows[0].count;
}

describe('reading security events', () => {
  test('a failed sign-in is a FAILED_LOGIN event with the client\'s address, agent and time', async () => {
    const operator = await systemAdministrator();
    const user = await signUpUser(fixture.graph.client);
    const before = Date.now();
    const refused = await fixture.graph.client
      .from('10.77.1.2')
      .request(logIn, { input: { email: user.email, password: 'not-the-password' } }, { 'user-agent': 'curious-script/1.0' });
    expect(errorCodes(refused)).toEqual(['UNAUTHENTICATED']);

    const found = (await events(operator.client, { kind: 'FAILED_LOGIN' })).filter((event) => event.targetId === user.id);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      kind: 'FAILED_LOGIN',
      action: 'user.login_failed',
      severity: 'WARNING',
      organization: null,
      actorType: 'ANONYMOUS',
      actorId: null,
      targetType: 'user',
      ipAddress: '10.77.1.2',
      userAgent: 'curious-script/1.0',
      details: { email: user.email },
    });
    const at = new Date(found[0].occurredAt).getTime();
    expect(at).toBeGreaterThanOrEqual(before - 1_000);
    expect(at).toBeLessThanOrEqual(Date.now() + 1_000);
  });

  test('an ADMIN reads the organization\'s refusals with their actor, and none of another organization\'s', async () => {
    const mine = await organization();
    const theirs = await organization();
    await refusedAccess(mine.viewer, mine.id);
    await refusedAccess(theirs.viewer, theirs.id);

    const read = await events(mine.admin.client, { orgId: mine.id });
    expect(read.map((event) => [event.kind, event.action, event.actorId])).toEqual([['PERMISSION_DENIED', 'access.denied', mine.viewer.id]]);
    expect(read[0]).toMatchObject({
      organization: { id: mine.id },
      actorType: 'USER',
      actor: { id: mine.viewer.id, displayName: mine.viewer.displayName },
      details: { reason: 'read audit trail' },
    });
    expect(read[0].ipAddress).toMatch(/^10\./);

    const other = await mine.admin.client.request(securityEvents, { orgId: theirs.id, ...aroundNow() });
    expect(errorCodes(other)).toEqual(['FORBIDDEN']);
    expect(other.data).toBeNull();
  });

  test('a MEMBER or VIEWER is refused with FORBIDDEN, and the refusal is itself an event', async () => {
    const org = await organization();
    const member = await signUpUser(fixture.graph.client);
    await addMember(org.owner, org.id, member, 'MEMBER');
    for (const user of [member, org.viewer]) {
      expect(errorCodes(await user.client.request(securityEvents, { orgId: org.id, ...aroundNow() }))).toEqual(['FORBIDDEN']);
    }
    const read = await events(org.owner.client, { orgId: org.id, kind: 'PERMISSION_DENIED' });
    expect(read.map((event) => [event.actorId, event.details.reason])).toEqual([
      [org.viewer.id, 'read security events'],
      [member.id, 'read security events'],
    ]);
  });

  test('a system administrator reads any organization\'s, and without orgId every organization\'s and the platform\'s', async () => {
    const operator = await systemAdministrator();
    const first = await organization();
    const second = await organization();
    await refusedAccess(first.viewer, first.id);
    await refusedAccess(second.viewer, second.id);
    const user = await signUpUser(fixture.graph.client);
    await failLogIns(fixture.graph.client, user.email, 1);

    expect((await events(operator.client, { orgId: first.id })).map((event) => event.actorId)).toEqual([first.viewer.id]);
    const everything = await events(operator.client, { first: 100 });
    const seen = everything.map((event) => `${event.organization?.id ?? 'platform'}:${event.actorId ?? event.targetId}`);
    expect(seen).toEqual(
      expect.arrayContaining([`${first.id}:${first.viewer.id}`, `${second.id}:${second.viewer.id}`, `platform:${user.id}`]),
    );
  });

  test('without orgId anyone but a system administrator gets BAD_USER_INPUT; anonymous callers UNAUTHENTICATED', async () => {
    const org = await organization();
    const refused = await org.owner.client.request(securityEvents, aroundNow());
    expect(errorCodes(refused)).toEqual(['BAD_USER_INPUT']);
    expect(refused.errors?.[0]?.extensions?.field).toBe('orgId');
    expect(errorCodes(await fixture.graph.client.request(securityEvents, { orgId: org.id, ...aroundNow() }))).toEqual([
      'UNAUTHENTICATED',
    ]);
  });

  test('filters by kind and pages newest first with cursors, without repeating or skipping an event', async () => {
    const org = await organization();
    const viewers = [org.viewer];
    for (let index = 0; index < 2; index++) {
      const viewer = await signUpUser(fixture.graph.client);
      await addMember(org.owner, org.id, viewer, 'VIEWER');
      viewers.push(viewer);
    }
    for (const viewer of viewers) await refusedAccess(viewer, org.id);

    expect(await events(org.owner.client, { orgId: org.id, kind: 'TOKEN_REUSE' })).toEqual([]);
    expect(await events(org.owner.client, { orgId: org.id, kind: 'FAILED_LOGIN' })).toEqual([]);
    const newestFirst = viewers.map((viewer) => viewer.id).reverse();
    const page = async (after?: string) =>
      (await org.owner.client.data(securityEvents, { orgId: org.id, kind: 'PERMISSION_DENIED', first: 2, after, ...aroundNow() }))
        .securityEvents;
    const firstPage = await page();
    expect(firstPage.edges.map((edge: any) => edge.node.actorId)).toEqual(newestFirst.slice(0, 2));
    expect(firstPage.pageInfo.hasNextPage).toBe(true);
    const secondPage = await page(firstPage.pageInfo.endCursor);
    expect(secondPage.edges.map((edge: any) => edge.node.actorId)).toEqual(newestFirst.slice(2));
    expect(secondPage.pageInfo.hasNextPage).toBe(false);
  });

  test('a revoked API key presented again is a REVOKED_CREDENTIAL_USED event of its organization', async () => {
    const org = await organization();
    const created = await org.owner.client.data(
      `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id } } }`,
      { input: { orgId: org.id, name: 'reporting', scopes: ['audit:read'] } },
    );
    const { secret, apiKey } = created.createApiKey;
    await org.owner.client.data(`mutation ($id: ID!) { revokeApiKey(id: $id) { active } }`, { id: apiKey.id });
    const refused = await fixture.graph.client.as(secret).request(securityEvents, { orgId: org.id, ...aroundNow() });
    expect(errorCodes(refused)).toEqual(['UNAUTHENTICATED']);

    const read = await events(org.owner.client, { orgId: org.id, kind: 'REVOKED_CREDENTIAL_USED' });
    expect(read).toHaveLength(1);
    expect(read[0]).toMatchObject({
      action: 'api_key.used_after_revocation',
      severity: 'WARNING',
      actorType: 'API_KEY',
      actorId: apiKey.id,
      actor: null,
      details: { type: 'api_key', id: apiKey.id },
    });
  });

  test('a download link with a forged signature is a REFUSED_SIGNATURE event; an expired genuine one is not', async () => {
    const org = await organization();
    const requested = await org.owner.client.data(
      `mutation ($orgId: ID!) { exportAuditLogs(orgId: $orgId, format: CSV) { id } }`,
      { orgId: org.id },
    );
    const exportId = requested.exportAuditLogs.id as string;
    // The test graph signs with the development secret.
    const signer = createDownloadSigner('development-only gateway signing secret: never use in production');
    const expired = signer.link(exportId, Date.now() - 16 * 60 * 1000).url;
    const forged = signer.link(exportId).url.replace(/signature=[^&]+/, `signature=${'A'.repeat(43)}`);
    for (const path of [expired, forged]) {
      expect((await fetch(new URL(path, fixture.graph.gateway.url))).status).toBe(403);
    }

    const read = await events(org.owner.client, { orgId: org.id, kind: 'REFUSED_SIGNATURE' });
    expect(read).toHaveLength(1);
    expect(read[0]).toMatchObject({
      action: 'audit.export_download_refused',
      actorType: 'ANONYMOUS',
      organization: { id: org.id },
      details: { exportId },
    });
  });

  test('refuses a backwards or empty period, one over 92 days, a bad orgId, page size or cursor with BAD_USER_INPUT', async () => {
    const org = await organization();
    const day = 24 * 3_600_000;
    const now = Date.now();
    const at = (offset: number) => new Date(now + offset).toISOString();
    for (const [variables, field] of [
      [{ orgId: org.id, from: at(0), to: at(-day) }, 'from'],
      [{ orgId: org.id, from: at(0), to: at(0) }, 'from'],
      [{ orgId: org.id, from: at(-93 * day), to: at(0) }, 'to'],
      [{ orgId: 'not-an-organization', ...aroundNow() }, 'orgId'],
      [{ orgId: org.id, first: 101, ...aroundNow() }, 'first'],
      [{ orgId: org.id, after: 'garbage', ...aroundNow() }, 'after'],
    ] as const) {
      const response = await org.owner.client.request(securityEvents, variables);
      expect(errorCodes(response), JSON.stringify(variables)).toEqual(['BAD_USER_INPUT']);
      expect(response.errors?.[0]?.extensions?.field).toBe(field);
    }
    expect(await events(org.owner.client, { orgId: org.id, from: at(-92 * day), to: at(0) })).toEqual([]);
  });
});

describe('alerts on bursts', () => {
  /** A member of an organization whose endpoint (a path of its own) subscribes to `security.alert`. */
  async function watchedAccount() {
    const org = await organization();
    const path = `/security/${org.id}`;
    const created = await org.owner.client.data(
      `mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret } }`,
      { input: { orgId: org.id, url: `${receiver.url}${path}`, eventTypes: ['security.alert'] } },
    );
    const secret = created.createWebhookEndpoint.secret as string;
    /** What the endpoint received so far, verified. */
    const received = () =>
      receiver.requests
        .filter((request) => request.path === path)
        .map((request) => new Webhook(secret).verify(request.body, request.headers as Record<string, string>) as { type: string; data: Record<string, unknown> });
    return { org, user: org.viewer, received };
  }

  test('19 failed sign-ins on one account in a row raise no alert', async () => {
    const { user } = await watchedAccount();
    await failLogIns(fixture.graph.client, user.email, 19);
    expect(await alertEntries(user.id)).toBe(0);
    expect(await alertWebhookEvents(user.id)).toBe(0);
  });

  test('the 20th raises exactly one security.alert: a CRITICAL entry and one webhook delivery, however many follow', async () => {
    const operator = await systemAdministrator();
    const { user, received: deliveries } = await watchedAccount();
    await failLogIns(fixture.graph.client, user.email, 20);
    expect(await alertEntries(user.id)).toBe(1);
    await failLogIns(fixture.graph.client, user.email, 5);
    expect(await alertEntries(user.id)).toBe(1);

    const alert = (await events(operator.client, { kind: 'ALERT' })).find((event) => event.targetId === user.id);
    expect(alert).toMatchObject({
      kind: 'ALERT',
      action: 'security.alert',
      severity: 'CRITICAL',
      organization: null,
      targetType: 'user',
      details: { burst: 'FAILED_LOGIN', count: 20, threshold: 20, windowSeconds: 300, email: user.email, userId: user.id },
    });
    expect(alert.ipAddress).toMatch(/^10\./);

    const received = await vi.waitFor(
      () => {
        const payloads = deliveries();
        expect(payloads).toHaveLength(1);
        return payloads;
      },
      { timeout: 20_000, interval: 100 },
    );
    expect(received[0]).toMatchObject({
      type: 'security.alert',
      data: { burst: 'FAILED_LOGIN', count: 20, threshold: 20, windowSeconds: 300, userId: user.id },
    });
    expect(JSON.stringify(received[0])).not.toContain(user.email);
    // Nothing else is on its way.
    expect(await alertWebhookEvents(user.id)).toBe(1);
  });

  test('failures spread over two instances of the graph count together', async () => {
    const { user } = await watchedAccount();
    const second = await startTestGraph({ ...environment, DATABASE_URL: fixture.databaseUrl });
    try {
      await failLogIns(fixture.graph.client, user.email, 10);
      await failLogIns(second.client, user.email, 9);
      expect(await alertEntries(user.id)).toBe(0);
      await failLogIns(second.client, user.email, 1);
      expect(await alertEntries(user.id)).toBe(1);
      await failLogIns(fixture.graph.client, user.email, 1);
      expect(await alertEntries(user.id)).toBe(1);
    } finally {
      await second.close();
    }
  });

  test('100 rate-limited requests from one client raise one RATE_LIMITED alert in the platform\'s trail', async () => {
    const operator = await systemAdministrator();
    const address = '10.201.0.7';
    const client = fixture.graph.client.from(address);
    const email = `nobody-${randomUUID()}@example.com`;
    // `logIn` allows 10 tries per 5 minutes per address and email; the next 100 are refused.
    const codes: string[] = [];
    for (let attempt = 0; attempt < 111; attempt++) {
      codes.push(...errorCodes(await client.request(logIn, { input: { email, password: 'wrong' } })));
    }
    expect(codes.filter((code) => code === 'RATE_LIMITED')).toHaveLength(101);
    const fromThisClient = async () =>
      (await events(operator.client, { kind: 'ALERT' })).filter((event) => event.ipAddress === address);
    const alerts = await vi.waitFor(
      async () => {
        const found = await fromThisClient();
        expect(found).toHaveLength(1);
        return found;
      },
      { timeout: 10_000, interval: 100 },
    );
    expect(alerts[0]).toMatchObject({
      organization: null,
      actorType: 'ANONYMOUS',
      details: { burst: 'RATE_LIMITED', count: 100, threshold: 100, windowSeconds: 300 },
    });
    // The 101st refusal did not raise another.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await fromThisClient()).toHaveLength(1);
  });

  test('20 refusals by one actor in an organization raise one alert to that organization', async () => {
    const { org, received } = await watchedAccount();
    const prober = await signUpUser(fixture.graph.client);
    await addMember(org.owner, org.id, prober, 'VIEWER');
    for (let attempt = 0; attempt < 21; attempt++) await refusedAccess(prober, org.id);

    const alerts = await events(org.owner.client, { orgId: org.id, kind: 'ALERT' });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      organization: { id: org.id },
      actorId: prober.id,
      details: { burst: 'PERMISSION_DENIED', count: 20, threshold: 20, actorType: 'USER', actorId: prober.id },
    });
    // The trail itself holds one refusal a minute per actor and cause.
    expect(await events(org.owner.client, { orgId: org.id, kind: 'PERMISSION_DENIED' })).toHaveLength(1);
    await vi.waitFor(
      () => {
        const payloads = received();
        expect(payloads).toHaveLength(1);
        expect(payloads[0]).toMatchObject({ type: 'security.alert', data: { burst: 'PERMISSION_DENIED', actorType: 'USER', actorId: prober.id } });
      },
      { timeout: 20_000, interval: 100 },
    );
  });
});
