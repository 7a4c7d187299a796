import { beforeAll, describe, expect, test } from 'vitest';
import { errorCodes, type GraphQLClient, type GraphQLResponse } from '../testkit/client.ts';
import { createPage, publishPage, updatePage } from '../testkit/cms-seed.ts';
import { requestStatements } from '../testkit/graph.ts';
import { addMember, createOrganization, signUpUser, type SignedUpUser } from '../testkit/seed.ts';
import { addChain, createToken, systemAdmin } from '../testkit/tokens-seed.ts';
import { useTestGraph } from '../testkit/use-test-graph.ts';

/** The cache of subgraph answers at the gateway: hits, exact invalidation, permissions. */
const fixture = useTestGraph();

const dashboard = `query Dashboard {
  me { id displayName memberships { role organization { id name members(first: 20) { totalCount edges { node { role user { id displayName } } } } } } }
}`;
const organizationQuery = `query ($id: ID!) { organization(id: $id) { id name viewerRole members { totalCount } } }`;
const rename = `mutation ($id: ID!, $name: String!) { updateOrganization(id: $id, input: { name: $name }) { name } }`;

/** Runs an operation, returning its answer and the SQL statements the subgraphs sent for it. */
async function measured(client: GraphQLClient, query: string, variables?: Record<string, unknown>) {
  fixture.graph.statements.length = 0;
  const response = await client.request(query, variables);
  return { response, statements: requestStatements(fixture.graph).length };
}

function cacheStatus(response: GraphQLResponse): string {
  return response.headers.get('cache-status') ?? '';
}

async function member(owner: SignedUpUser, orgId: string, role: 'ADMIN' | 'MEMBER' | 'VIEWER' = 'MEMBER') {
  const user = await signUpUser(fixture.graph.client);
  await addMember(owner, orgId, user, role);
  return user;
}

describe('a repeated query', () => {
  test('is answered from the cache, sends no SQL, and Cache-Status says so', async () => {
    const user = await signUpUser(fixture.graph.client);
    await createOrganization(user);
    const first = await measured(user.client, dashboard);
    expect(first.response.errors).toBeUndefined();
    expect(cacheStatus(first.response)).toBe('tnx-gateway; fwd=uri-miss; stored; detail=identity');
    expect(first.statements).toBeGreaterThan(0);
    const second = await measured(user.client, dashboard);
    expect(second.response.data).toEqual(first.response.data);
    expect(cacheStatus(second.response)).toMatch(/^tnx-gateway; hit; ttl=\d+; detail=identity$/);
    expect(second.statements).toBe(0);
    // Private answers are never left to browsers to keep.
    expect(second.response.headers.get('cache-control')).toBe('no-store');
  });

  test('identical queries arriving together are sent to the subgraph once', async () => {
    const user = await signUpUser(fixture.graph.client);
    await createOrganization(user);
    fixture.graph.statements.length = 0;
    const answers = await Promise.all(Array.from({ length: 10 }, () => user.client.request(dashboard)));
    const alone = requestStatements(fixture.graph).length;
    const single = await measured(user.client, `query Again { me { id displayName memberships { role organization { id name members(first: 21) { totalCount edges { node { role user { id displayName } } } } } } } }`);
    expect(answers.every((answer) => JSON.stringify(answer.data) === JSON.stringify(answers[0]!.data))).toBe(true);
    expect(alone).toBe(single.statements);
    expect(answers.filter((answer) => cacheStatus(answer).includes('collapsed')).length).toBeGreaterThan(0);
  });
});

describe('a change', () => {
  test('is read back at once: a rename, a new member, a removed one', async () => {
    const owner = await signUpUser(fixture.graph.client);
    const organization = await createOrganization(owner);
    await owner.client.data(organizationQuery, { id: organization.id });
    await owner.client.data(rename, { id: organization.id, name: 'Renamed Co' });
    expect((await owner.client.data(organizationQuery, { id: organization.id })).organization).toMatchObject({ name: 'Renamed Co', members: { totalCount: 1 } });
    const added = await member(owner, organization.id);
    expect((await owner.client.data(organizationQuery, { id: organization.id })).organization.members.totalCount).toBe(2);
    await owner.client.data(`mutation ($orgId: ID!, $userId: ID!) { removeMember(orgId: $orgId, userId: $userId) }`, { orgId: organization.id, userId: added.id });
    expect((await owner.client.data(organizationQuery, { id: organization.id })).organization.members.totalCount).toBe(1);
  });

  test('to a page reaches every member, and the published page is a public answer browsers may keep', async () => {
    const owner = await signUpUser(fixture.graph.client);
    const organization = await createOrganization(owner);
    const reader = await member(owner, organization.id, 'VIEWER');
    const pages = `query ($orgId: ID!) { pages(orgId: $orgId) { edges { node { id title } } } }`;
    expect((await reader.client.data(pages, { orgId: organization.id })).pages.edges).toEqual([]);
    const page = await createPage(owner.client, { orgId: organization.id, title: 'Launch' });
    expect((await reader.client.data(pages, { orgId: organization.id })).pages.edges).toEqual([{ node: { id: page.id, title: 'Launch' } }]);

    const published = await publishPage(owner.client, page.id);
    const url = new URL(fixture.graph.gateway.url);
    url.searchParams.set('query', `{ publishedPage(orgSlug: "${organization.slug}", slug: "${page.slug}") { title revision } }`);
    const first = await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('public, max-age=60');
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^W\/".+"$/);
    const again = await fetch(url, { headers: { 'apollo-require-preflight': 'true', 'if-none-match': etag! } });
    expect(again.status).toBe(304);
    await updatePage(owner.client, page.id, published.version, { title: 'Launch 2' });
    await publishPage(owner.client, page.id);
    const changed = await fetch(url, { headers: { 'apollo-require-preflight': 'true', 'if-none-match': etag! } });
    expect(changed.status).toBe(200);
    expect(((await changed.json()) as { data: { publishedPage: { title: string } } }).data.publishedPage.title).toBe('Launch 2');
  });
});

describe('an answer about one organization', () => {
  const pages = `query ($orgId: ID!) { pages(orgId: $orgId) { edges { node { id title } } } }`;

  test('is shared by its members of one role, and by nobody else', async () => {
    const owner = await signUpUser(fixture.graph.client);
    const organization = await createOrganization(owner);
    await createPage(owner.client, { orgId: organization.id, title: 'Shared' });
    const [first, second, viewer] = [await member(owner, organization.id), await member(owner, organization.id), await member(owner, organization.id, 'VIEWER')];
    const outsider = await signUpUser(fixture.graph.client);
    await createOrganization(outsider);

    const fetched = await measured(first.client, pages, { orgId: organization.id });
    expect(cacheStatus(fetched.response)).toContain('stored');
    const sameRole = await measured(second.client, pages, { orgId: organization.id });
    expect(cacheStatus(sameRole.response)).toMatch(/hit/);
    expect(sameRole.response.data).toEqual(fetched.response.data);
    expect(cacheStatus((await viewer.client.request(pages, { orgId: organization.id })))).not.toMatch(/hit/);
    expect(errorCodes(await outsider.client.request(pages, { orgId: organization.id }))).toEqual(['FORBIDDEN']);

    await owner.client.data(`mutation ($orgId: ID!, $userId: ID!) { removeMember(orgId: $orgId, userId: $userId) }`, { orgId: organization.id, userId: second.id });
    expect(errorCodes(await second.client.request(pages, { orgId: organization.id }))).toEqual(['FORBIDDEN']);
    expect(cacheStatus(await first.client.request(pages, { orgId: organization.id }))).toMatch(/hit/);
  });
});

describe("a list naming who made each item (another subgraph's users)", () => {
  // As the dashboard's panels ask: the list from its subgraph, the names from identity.
  const panels = {
    pages: `query ($orgId: ID!) { pages(orgId: $orgId, first: 20) { edges { node { id title createdBy { id displayName } } } } }`,
    tokens: `query ($orgId: ID!) { tokens(orgId: $orgId, first: 20) { edges { node { id name createdBy { id displayName } } } } }`,
    auditLogs: `query ($orgId: ID!) { auditLogs(orgId: $orgId, first: 10) { edges { node { id action actor { id displayName } } } } }`,
  };

  let chainId: number;
  beforeAll(async () => {
    chainId = 800_000 + Math.floor(Math.random() * 100_000);
    await addChain(await systemAdmin(fixture.graph.client), { chainId, rpcUrl: 'http://127.0.0.1:9' });
  });

  test.each(Object.entries(panels))('%s: cached, and shared by members of one role', async (_name, query) => {
    const owner = await signUpUser(fixture.graph.client);
    const organization = await createOrganization(owner);
    // Each list holds an item made by the owner (creating them adds audit entries too).
    await createPage(owner.client, { orgId: organization.id, title: 'Panel' });
    await createToken(owner.client, { orgId: organization.id, chainId });
    const [first, second] = [await member(owner, organization.id, 'ADMIN'), await member(owner, organization.id, 'ADMIN')];
    const subgraph = query.includes('auditLogs') ? 'audit' : query.includes('tokens') ? 'tokens' : 'cms';
    const listFetch = (response: GraphQLResponse) =>
      cacheStatus(response).split(', ').find((member) => member.endsWith(`detail=${subgraph}`)) ?? '';
    const fetched = await measured(first.client, query, { orgId: organization.id });
    expect(listFetch(fetched.response)).toContain('stored');
    // The same member again: the list and the users are both hits.
    const repeated = await measured(first.client, query, { orgId: organization.id });
    expect(cacheStatus(repeated.response).split(', ').every((member) => / hit;/.test(member))).toBe(true);
    // Another member of the same role: the list is the first member's.
    const other = await measured(second.client, query, { orgId: organization.id });
    expect(listFetch(other.response)).toMatch(/ hit;/);
    expect(other.response.data).toEqual(fetched.response.data);
  });
});

describe('an object that belongs to no organization', () => {
  test('a renamed chain reaches every cached token list that shows it', async () => {
    const admin = await systemAdmin(fixture.graph.client);
    const chainId = 700_000 + Math.floor(Math.random() * 100_000);
    await addChain(admin, { chainId, rpcUrl: 'http://127.0.0.1:9/', name: 'Before' });
    const owner = await signUpUser(fixture.graph.client);
    const organization = await createOrganization(owner);
    await createToken(owner.client, { orgId: organization.id, chainId });
    const tokens = `query ($orgId: ID!) { tokens(orgId: $orgId) { edges { node { symbol chain { chainId name } } } } }`;
    await owner.client.data(tokens, { orgId: organization.id });
    expect(cacheStatus(await owner.client.request(tokens, { orgId: organization.id }))).toMatch(/hit/);
    await admin.client.data(`mutation ($chainId: Int!) { updateChain(chainId: $chainId, input: { name: "After" }) { name } }`, { chainId });
    expect((await owner.client.data(tokens, { orgId: organization.id })).tokens.edges[0].node.chain.name).toBe('After');
  });
});

describe('permissions are data', () => {
  test('a removed member is refused, not served what they read before', async () => {
    const owner = await signUpUser(fixture.graph.client);
    const organization = await createOrganization(owner);
    const leaving = await member(owner, organization.id);
    expect((await leaving.client.data(organizationQuery, { id: organization.id })).organization.viewerRole).toBe('MEMBER');
    await owner.client.data(`mutation ($orgId: ID!, $userId: ID!) { removeMember(orgId: $orgId, userId: $userId) }`, { orgId: organization.id, userId: leaving.id });
    expect(errorCodes(await leaving.client.request(organizationQuery, { id: organization.id }))).toEqual(['FORBIDDEN']);
  });

  test("a changed role shows at once in what the member reads", async () => {
    const owner = await signUpUser(fixture.graph.client);
    const organization = await createOrganization(owner);
    const promoted = await member(owner, organization.id, 'VIEWER');
    expect((await promoted.client.data(organizationQuery, { id: organization.id })).organization.viewerRole).toBe('VIEWER');
    await owner.client.data(`mutation ($orgId: ID!, $userId: ID!) { updateMemberRole(orgId: $orgId, userId: $userId, role: ADMIN) { role } }`, {
      orgId: organization.id,
      userId: promoted.id,
    });
    expect((await promoted.client.data(organizationQuery, { id: organization.id })).organization.viewerRole).toBe('ADMIN');
  });

  test('a logged-out session and a revoked API key are refused, not served from the cache', async () => {
    const owner = await signUpUser(fixture.graph.client);
    const organization = await createOrganization(owner);
    await owner.client.data(dashboard);
    expect(cacheStatus(await owner.client.request(dashboard))).toContain('hit');
    await owner.client.data(`mutation ($token: String!) { logOut(refreshToken: $token) }`, { token: owner.refreshToken });
    expect(errorCodes(await owner.client.request(dashboard))).toEqual(['UNAUTHENTICATED']);

    const admin = await signUpUser(fixture.graph.client);
    const keyed = await createOrganization(admin);
    const created = await admin.client.data(`mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id } } }`, {
      input: { orgId: keyed.id, name: 'reader', scopes: ['organization:read'] },
    });
    const program = fixture.graph.client.as(created.createApiKey.secret);
    const byKey = `query ($id: ID!) { organization(id: $id) { id name } }`;
    await program.data(byKey, { id: keyed.id });
    expect(cacheStatus(await program.request(byKey, { id: keyed.id }))).toContain('hit');
    await admin.client.data(`mutation ($id: ID!) { revokeApiKey(id: $id) { revokedAt } }`, { id: created.createApiKey.apiKey.id });
    expect(errorCodes(await program.request(byKey, { id: keyed.id }))).toEqual(['UNAUTHENTICATED']);
    expect(organization.id).not.toBe(keyed.id);
  });

  test('no answer is ever served to another caller: many users, one operation, at once', async () => {
    const users = await Promise.all(Array.from({ length: 6 }, () => signUpUser(fixture.graph.client)));
    const organizations = await Promise.all(users.map((user) => createOrganization(user)));
    for (let round = 0; round < 3; round++) {
      const answers = await Promise.all(users.map((user) => user.client.data(dashboard)));
      answers.forEach((answer, index) => {
        expect(answer.me.id).toBe(users[index]!.id);
        expect(answer.me.memberships.map((membership: { organization: { id: string } }) => membership.organization.id)).toEqual([organizations[index]!.id]);
      });
    }
    // Someone else's organization by id: refused, whoever read it before.
    const [first, second] = users;
    await first!.client.data(organizationQuery, { id: organizations[0]!.id });
    expect(errorCodes(await second!.client.request(organizationQuery, { id: organizations[0]!.id }))).toEqual(['FORBIDDEN']);
  });
});
