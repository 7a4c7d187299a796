import * as oauth from 'oauth4webapi';
import { describe, expect, test } from 'vitest';
import { errorCodes, type GraphQLClient } from '../testkit/client.ts';
import { addMember, createOrganization, signUpUser, type SignedUpUser } from '../testkit/seed.ts';
import { useTestGraph } from '../testkit/use-test-graph.ts';
import { dayMs, expectContiguous, metricsOf, settled, utcDayStart } from './analytics-kit.ts';

/**
 * members.count, members.joined, audit.entries and security.events, from memberships,
 * refusals and OAuth refresh-token theft made through the gateway.
 */
const fixture = useTestGraph({ ANALYTICS_INGEST_INTERVAL_MS: '100' });

const removeMember = `mutation ($orgId: ID!, $userId: ID!) { removeMember(orgId: $orgId, userId: $userId) }`;
const auditLogs = `query ($orgId: ID!, $after: String) {
  auditLogs(orgId: $orgId, first: 100, after: $after) { edges { node { action severity } } pageInfo { hasNextPage endCursor } }
}`;

/** Every entry of the organization's trail, as its OWNER reads it through the API. */
async function trail(owner: SignedUpUser, orgId: string): Promise<{ action: string; severity: string }[]> {
  const entries: { action: string; severity: string }[] = [];
  let after: string | null = null;
  for (;;) {
    const page: any = (await owner.client.data(auditLogs, { orgId, after })).auditLogs;
    entries.push(...page.edges.map((edge: any) => edge.node));
    if (!page.pageInfo.hasNextPage) return entries;
    after = page.pageInfo.endCursor;
  }
}

function countBy<T>(items: T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

describe('members.count and members.joined', () => {
  test('members.count follows joins, removals and departures; members.joined counts only the joins, the owner included', async () => {
    const owner = await signUpUser(fixture.graph.client);
    const organization = await createOrganization(owner);
    const metrics = metricsOf(owner.client, organization.id);
    const [removed, leaving, staying] = await Promise.all([1, 2, 3].map(() => signUpUser(fixture.graph.client)));
    await addMember(owner, organization.id, removed!, 'MEMBER');
    await addMember(owner, organization.id, leaving!, 'VIEWER');
    await addMember(owner, organization.id, staying!, 'ADMIN');
    expect(await settled(() => metrics.value('members.count'), 4)).toBe(4);

    await owner.client.data(removeMember, { orgId: organization.id, userId: removed!.id });
    await leaving!.client.data(removeMember, { orgId: organization.id, userId: leaving!.id });
    expect(await settled(() => metrics.value('members.count'), 2)).toBe(2);
    expect(await metrics.value('members.joined')).toBe(4);

    // A gauge's previous period is its level at the end of it: nobody, the day before.
    const count = await metrics.summary('members.count');
    expect(count).toMatchObject({ metric: { aggregation: 'GAUGE', unit: 'members' }, value: 2, previousValue: 0, change: 2, changeRatio: null });
    expect(await metrics.summary('members.joined')).toMatchObject({ metric: { aggregation: 'COUNT' }, value: 4, previousValue: 0, change: 4 });
  });

  test('a daily series of members.count carries the level from day to day and ends at it; members.joined has its joins on today alone', async () => {
    const owner = await signUpUser(fixture.graph.client);
    const organization = await createOrganization(owner);
    const metrics = metricsOf(owner.client, organization.id);
    await addMember(owner, organization.id, await signUpUser(fixture.graph.client), 'MEMBER');
    expect(await settled(() => metrics.value('members.count'), 2)).toBe(2);

    const today = utcDayStart(Date.now());
    const from = new Date(today.getTime() - 6 * dayMs);
    const to = new Date(today.getTime() + dayMs);
    const [count] = await metrics.series({ name: 'members.count', from, to, interval: 'DAY' });
    expect(count).toMatchObject({ metric: 'members.count', key: null, dimension: null, statistic: 'VALUE', interval: 'DAY', timeZone: 'UTC' });
    expect(expectContiguous(count!.points, from, dayMs, 7)).toEqual([]);
    expect(count!.points.map((point) => point.v)).toEqual([0, 0, 0, 0, 0, 0, 2]);
    expect(count!.total).toBe(2);

    // Tomorrow has no events yet, but a gauge keeps its level through it.
    const [ahead] = await metrics.series({ name: 'members.count', from: today, to: new Date(today.getTime() + 2 * dayMs), interval: 'DAY' });
    expect(ahead!.points.map((point) => point.v)).toEqual([2, 2]);

    const [joined] = await metrics.series({ name: 'members.joined', from, to, interval: 'DAY' });
    expect(joined!.points.map((point) => point.v)).toEqual([0, 0, 0, 0, 0, 0, 2]);
    expect(joined!.total).toBe(2);
  });
});

describe('audit.entries and security.events', () => {
  test('a refused access counts as a security event of kind access.denied, and every entry of the trail counts by severity', async () => {
    const owner = await signUpUser(fixture.graph.client);
    const organization = await createOrganization(owner);
    const member = await signUpUser(fixture.graph.client);
    await addMember(owner, organization.id, member, 'MEMBER');
    const metrics = metricsOf(owner.client, organization.id);
    expect(await settled(() => metrics.breakdown('audit.entries', 'severity'), { INFO: 2 })).toEqual({ INFO: 2 });
    expect(await metrics.value('security.events')).toBe(0);

    // An outsider tries to make themself an owner; a MEMBER tries to read the trail.
    const outsider = await signUpUser(fixture.graph.client);
    const add = `mutation ($orgId: ID!, $email: String!) { addMember(orgId: $orgId, email: $email, role: OWNER) { role } }`;
    expect(errorCodes(await outsider.client.request(add, { orgId: organization.id, email: outsider.email }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await member.client.request(auditLogs, { orgId: organization.id }))).toEqual(['FORBIDDEN']);

    expect(await settled(() => metrics.breakdown('security.events', 'kind'), { 'access.denied': 2 })).toEqual({ 'access.denied': 2 });
    expect(await metrics.value('security.events')).toBe(2);
    const severities = await metrics.breakdown('audit.entries', 'severity');
    expect(severities).toEqual({ INFO: 2, WARNING: 2 });
    // The same as the trail itself says.
    expect(severities).toEqual(countBy(await trail(owner, organization.id), (entry) => entry.severity));
    expect(await metrics.value('audit.entries')).toBe(4);
  });

  test('a CRITICAL entry (a spent OAuth refresh token presented again) counts under CRITICAL and as a security event of its kind', async () => {
    const owner = await signUpUser(fixture.graph.client);
    const organization = await createOrganization(owner);
    const app = await registerApp(owner, organization.id);
    const user = await signUpUser(fixture.graph.client);
    const first = await authorize(fixture.graph.client, user, app);
    await refresh(fixture.graph.client, app, first.refresh_token!);
    await expect(refresh(fixture.graph.client, app, first.refresh_token!)).rejects.toThrow();

    const metrics = metricsOf(owner.client, organization.id);
    const kinds = await settled(() => metrics.breakdown('security.events', 'kind'), { 'oauth.refresh_token_reused': 1 });
    expect(kinds).toEqual({ 'oauth.refresh_token_reused': 1 });
    const entries = await trail(owner, organization.id);
    expect(entries.filter((entry) => entry.severity === 'CRITICAL').map((entry) => entry.action)).toEqual(['oauth.refresh_token_reused']);
    const expected = countBy(entries, (entry) => entry.severity);
    expect(expected.CRITICAL).toBe(1);
    expect(await settled(() => metrics.breakdown('audit.entries', 'severity'), expected)).toEqual(expected);
    expect(await metrics.value('audit.entries')).toBe(entries.length);
  });
});

// ---- A third-party OAuth app, as in test/integrations/oauth-tokens.test.ts ----

const redirectUri = 'https://app.example.com/callback';
const onLoopback = { [oauth.allowInsecureRequests]: true } as const;

interface App {
  clientId: string;
  clientSecret: string;
}

async function registerApp(owner: SignedUpUser, orgId: string): Promise<App> {
  const data = await owner.client.data(
    `mutation ($input: RegisterOAuthAppInput!) { registerOAuthApp(input: $input) { clientSecret app { clientId } } }`,
    { input: { orgId, name: 'Sync app', redirectUris: [redirectUri], allowedScopes: ['webhooks:read'] } },
  );
  return { clientId: data.registerOAuthApp.app.clientId, clientSecret: data.registerOAuthApp.clientSecret };
}

function server(client: GraphQLClient): oauth.AuthorizationServer {
  const origin = new URL(client.url).origin;
  return { issuer: `${origin}/`, token_endpoint: `${origin}/oauth/token`, revocation_endpoint: `${origin}/oauth/revoke` };
}

async function authorize(client: GraphQLClient, user: SignedUpUser, app: App): Promise<oauth.TokenEndpointResponse> {
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const data = await user.client.data(`mutation ($input: AuthorizeOAuthAppInput!) { authorizeOAuthApp(input: $input) { redirectUrl } }`, {
    input: {
      clientId: app.clientId,
      redirectUri,
      scopes: ['webhooks:read'],
      state,
      codeChallenge: await oauth.calculatePKCECodeChallenge(verifier),
      codeChallengeMethod: 'S256',
    },
  });
  const as = server(client);
  const callback = oauth.validateAuthResponse(as, { client_id: app.clientId }, new URL(data.authorizeOAuthApp.redirectUrl), state);
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    { client_id: app.clientId },
    oauth.ClientSecretBasic(app.clientSecret),
    callback,
    redirectUri,
    verifier,
    onLoopback,
  );
  return oauth.processAuthorizationCodeResponse(as, { client_id: app.clientId }, response);
}

async function refresh(client: GraphQLClient, app: App, refreshToken: string): Promise<oauth.TokenEndpointResponse> {
  const as = server(client);
  const response = await oauth.refreshTokenGrantRequest(as, { client_id: app.clientId }, oauth.ClientSecretBasic(app.clientSecret), refreshToken, onLoopback);
  return oauth.processRefreshTokenResponse(as, { client_id: app.clientId }, response);
}
