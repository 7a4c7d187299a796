import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { errorCodes } from '../testkit/client.ts';
import { useTestGraph } from '../testkit/use-test-graph.ts';
import { createPage } from '../testkit/cms-seed.ts';
import { addMember, createOrganization, signUpUser, type SignedUpUser } from '../testkit/seed.ts';

const fixture = useTestGraph();

const createKey = `mutation ($input: CreateApiKeyInput!) {
  createApiKey(input: $input) { secret apiKey { id name scopes prefix lastFour expiresAt lastUsedAt revokedAt active } }
}`;
const listEndpoints = `query ($orgId: ID!) { webhookEndpoints(orgId: $orgId) { id url } }`;
const createEndpoint = `mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id } } }`;

async function keyFor(owner: SignedUpUser, orgId: string, scopes: string[], expiresAt?: string) {
  const data = await owner.client.data(createKey, { input: { orgId, name: `key ${scopes.join(' ')}`, scopes, expiresAt } });
  return data.createApiKey as { secret: string; apiKey: { id: string; prefix: string; lastFour: string; active: boolean } };
}

async function ownerWithOrganization() {
  const owner = await signUpUser(fixture.graph.client);
  const organization = await createOrganization(owner);
  return { owner, organization };
}

describe('API keys', () => {
  test('the secret is shown once; the database keeps only its SHA-256, and listings show its prefix and last four', async () => {
    const { owner, organization } = await ownerWithOrganization();
    const { secret, apiKey } = await keyFor(owner, organization.id, ['webhooks:read', 'tokens:read']);
    expect(secret).toMatch(/^tnx_[A-Za-z0-9_-]{43}$/);
    expect(apiKey).toMatchObject({ prefix: secret.slice(0, 8), lastFour: secret.slice(-4), active: true });

    const listed = await owner.client.request(`query ($orgId: ID!) { apiKeys(orgId: $orgId) { id name scopes prefix lastFour } }`, {
      orgId: organization.id,
    });
    expect(listed.data?.apiKeys).toEqual([
      { id: apiKey.id, name: 'key webhooks:read tokens:read', scopes: ['tokens:read', 'webhooks:read'], prefix: secret.slice(0, 8), lastFour: secret.slice(-4) },
    ]);
    expect(JSON.stringify(listed)).not.toContain(secret.slice(8, -4));

    const row = await fixture.db.query('SELECT row_to_json(k)::text AS json, secret_hash FROM integrations.api_keys k WHERE id = $1', [apiKey.id]);
    expect(row.rows[0].secret_hash).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(row.rows[0].json).not.toContain(secret.slice(8, -4));
  });

  test('a key reads what its scopes allow in its own organization, and records when it was last used', async () => {
    const { owner, organization } = await ownerWithOrganization();
    await owner.client.data(createEndpoint, {
      input: { orgId: organization.id, url: 'https://hooks.example.com/in', eventTypes: ['member.added'] },
    });
    const { secret, apiKey } = await keyFor(owner, organization.id, ['webhooks:read', 'organization:read']);
    const asKey = fixture.graph.client.as(secret);

    const read = await asKey.request(`query ($orgId: ID!) {
      webhookEndpoints(orgId: $orgId) { url organization { id name members { edges { node { role user { id } } } } } }
    }`, { orgId: organization.id });
    expect(read.errors).toBeUndefined();
    expect(read.data?.webhookEndpoints).toEqual([
      {
        url: 'https://hooks.example.com/in',
        organization: { id: organization.id, name: organization.name, members: { edges: [{ node: { role: 'OWNER', user: { id: owner.id } } }] } },
      },
    ]);
    const used = await fixture.db.query('SELECT last_used_at FROM integrations.api_keys WHERE id = $1', [apiKey.id]);
    expect(used.rows[0].last_used_at).toBeInstanceOf(Date);
  });

  test("a field outside the key's scopes is FORBIDDEN, and a refused mutation writes nothing", async () => {
    const { owner, organization } = await ownerWithOrganization();
    const { secret } = await keyFor(owner, organization.id, ['webhooks:read']);
    const asKey = fixture.graph.client.as(secret);

    const tokens = await asKey.request(`query ($orgId: ID!) { tokens(orgId: $orgId) { edges { node { id } } } }`, { orgId: organization.id });
    expect(errorCodes(tokens)).toEqual(['FORBIDDEN']);
    expect(tokens.errors?.[0]?.message).toContain('tokens:read');

    const write = await asKey.request(createEndpoint, {
      input: { orgId: organization.id, url: 'https://hooks.example.com/nope', eventTypes: ['member.added'] },
    });
    expect(errorCodes(write)).toEqual(['FORBIDDEN']);
    const rows = await fixture.db.query('SELECT count(*)::int AS n FROM integrations.webhook_endpoints WHERE organization_id = $1', [organization.id]);
    expect(rows.rows[0].n).toBe(0);

    // Fields that declare no scope are closed to keys: a key cannot make keys, nor be a user.
    const keys = await asKey.request(createKey, { input: { orgId: organization.id, name: 'child', scopes: ['webhooks:read'] } });
    expect(errorCodes(keys)).toEqual(['FORBIDDEN']);
    const me = await asKey.request('{ me { id } }');
    expect(errorCodes(me)).toEqual(['FORBIDDEN']);
  });

  test("a key never reaches another organization, whatever its scopes", async () => {
    const { owner, organization } = await ownerWithOrganization();
    const other = await createOrganization(owner);
    const { secret } = await keyFor(owner, organization.id, ['webhooks:read', 'organization:read']);
    const asKey = fixture.graph.client.as(secret);
    expect(errorCodes(await asKey.request(listEndpoints, { orgId: other.id }))).toEqual(['FORBIDDEN']);
    const otherOrg = await asKey.request(`query ($id: ID!) { organization(id: $id) { name } }`, { id: other.id });
    expect(errorCodes(otherOrg)).toEqual(['FORBIDDEN']);
  });

  test('a key with a write scope changes things, and the audit trail names the key', async () => {
    const { owner, organization } = await ownerWithOrganization();
    const { secret, apiKey } = await keyFor(owner, organization.id, ['webhooks:write']);
    const created = await fixture.graph.client.as(secret).data(createEndpoint, {
      input: { orgId: organization.id, url: 'https://hooks.example.com/by-key', eventTypes: ['token.deployed'] },
    });
    const audit = await fixture.db.query(
      `SELECT actor_type, actor_id FROM audit.entries WHERE organization_id = $1 AND action = 'webhook.endpoint_created' AND target_id = $2`,
      [organization.id, created.createWebhookEndpoint.endpoint.id],
    );
    expect(audit.rows).toEqual([{ actor_type: 'API_KEY', actor_id: apiKey.id }]);
  });

  test('scopes hold across subgraphs: each field of an entity is checked by the subgraph that resolves it', async () => {
    const { owner, organization } = await ownerWithOrganization();
    const writer = await keyFor(owner, organization.id, ['cms:write', 'cms:read']);
    const page = await createPage(fixture.graph.client.as(writer.secret), { orgId: organization.id, title: 'Written by a key' });
    const stored = await fixture.db.query('SELECT created_by_id FROM cms.pages WHERE id = $1', [page.id]);
    // The row names the person accountable for the key; the audit trail names the key.
    expect(stored.rows[0].created_by_id).toBe(owner.id);

    const pagesOfOrganization = `query ($id: ID!) { organization(id: $id) { name pages { edges { node { title } } } } }`;
    // cms:read alone does not reach the organization (identity's organization:read) …
    const viaCms = await fixture.graph.client.as(writer.secret).request(pagesOfOrganization, { id: organization.id });
    expect(errorCodes(viaCms)).toEqual(['FORBIDDEN']);
    // … and organization:read alone reaches its name but not its pages (cms's cms:read).
    const reader = await keyFor(owner, organization.id, ['organization:read']);
    const viaIdentity = await fixture.graph.client.as(reader.secret).request(pagesOfOrganization, { id: organization.id });
    expect(viaIdentity.data?.organization).toBeNull(); // pages is non-null: its refusal nulls the parent
    expect(viaIdentity.errors?.map((error) => [error.path?.join('.'), error.extensions?.code])).toEqual([['organization.pages', 'FORBIDDEN']]);
    const name = await fixture.graph.client.as(reader.secret).data(`query ($id: ID!) { organization(id: $id) { name } }`, { id: organization.id });
    expect(name.organization).toEqual({ name: organization.name });
    const both = await keyFor(owner, organization.id, ['organization:read', 'cms:read']);
    const read = await fixture.graph.client.as(both.secret).data(pagesOfOrganization, { id: organization.id });
    expect(read.organization.pages.edges).toEqual([{ node: { title: 'Written by a key' } }]);
  });

  test('a revoked key is UNAUTHENTICATED at once; a rotated key works only with its new secret', async () => {
    const { owner, organization } = await ownerWithOrganization();
    const first = await keyFor(owner, organization.id, ['webhooks:read']);
    const second = await keyFor(owner, organization.id, ['webhooks:read']);
    expect((await fixture.graph.client.as(first.secret).request(listEndpoints, { orgId: organization.id })).errors).toBeUndefined();

    const revoked = await owner.client.data(`mutation ($id: ID!) { revokeApiKey(id: $id) { active revokedAt } }`, { id: first.apiKey.id });
    expect(revoked.revokeApiKey.active).toBe(false);
    const refused = await fixture.graph.client.as(first.secret).request(listEndpoints, { orgId: organization.id });
    expect(refused.status).toBe(401);
    expect(errorCodes(refused)).toEqual(['UNAUTHENTICATED']);
    expect(refused.errors?.[0]?.message).toBe('The API key has been revoked.');

    const rotated = await owner.client.data(`mutation ($id: ID!) { rotateApiKey(id: $id) { secret apiKey { id lastFour } } }`, {
      id: second.apiKey.id,
    });
    expect(rotated.rotateApiKey.apiKey.id).toBe(second.apiKey.id);
    expect(rotated.rotateApiKey.secret).not.toBe(second.secret);
    expect(errorCodes(await fixture.graph.client.as(second.secret).request(listEndpoints, { orgId: organization.id }))).toEqual(['UNAUTHENTICATED']);
    expect((await fixture.graph.client.as(rotated.rotateApiKey.secret).request(listEndpoints, { orgId: organization.id })).errors).toBeUndefined();
  });

  test('a key stops working when it expires, and cannot be made already expired', async () => {
    const { owner, organization } = await ownerWithOrganization();
    const past = await owner.client.request(createKey, {
      input: { orgId: organization.id, name: 'old', scopes: ['webhooks:read'], expiresAt: new Date(Date.now() - 1000).toISOString() },
    });
    expect(errorCodes(past)).toEqual(['BAD_USER_INPUT']);

    const { secret, apiKey } = await keyFor(owner, organization.id, ['webhooks:read'], new Date(Date.now() + 3_600_000).toISOString());
    expect((await fixture.graph.client.as(secret).request(listEndpoints, { orgId: organization.id })).errors).toBeUndefined();
    // An hour passes (moved in the database rather than waited for).
    await fixture.db.query(`UPDATE integrations.api_keys SET expires_at = now() - interval '1 second' WHERE id = $1`, [apiKey.id]);
    const expired = await fixture.graph.client.as(secret).request(listEndpoints, { orgId: organization.id });
    expect(errorCodes(expired)).toEqual(['UNAUTHENTICATED']);
    expect(expired.errors?.[0]?.message).toBe('The API key has expired.');
  });

  test('only OWNERs and ADMINs make keys, with scopes from the catalogue; a made-up key is UNAUTHENTICATED', async () => {
    const { owner, organization } = await ownerWithOrganization();
    const member = await signUpUser(fixture.graph.client);
    await addMember(owner, organization.id, member, 'MEMBER');
    const byMember = await member.client.request(createKey, { input: { orgId: organization.id, name: 'm', scopes: ['webhooks:read'] } });
    expect(errorCodes(byMember)).toEqual(['FORBIDDEN']);
    const unknownScope = await owner.client.request(createKey, { input: { orgId: organization.id, name: 'x', scopes: ['everything'] } });
    expect(errorCodes(unknownScope)).toEqual(['BAD_USER_INPUT']);
    const rows = await fixture.db.query('SELECT count(*)::int AS n FROM integrations.api_keys WHERE organization_id = $1', [organization.id]);
    expect(rows.rows[0].n).toBe(0);
    const madeUp = await fixture.graph.client.as(`tnx_${'A'.repeat(43)}`).request('{ apiScopes { name } }');
    expect(errorCodes(madeUp)).toEqual(['UNAUTHENTICATED']);
    // Only the gateway may ask integrations about a secret: unsigned, the route refuses.
    const { secret } = await keyFor(owner, organization.id, ['webhooks:read']);
    const unsigned = await fetch(new URL('/internal/credentials/verify', fixture.graph.subgraphs.integrations.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ secret }),
    });
    expect(unsigned.status).toBe(401);
    expect(JSON.stringify(await unsigned.json())).not.toContain('organizationId');
  });

  test("developers see each root field's scope in its description (what Sandbox shows)", async () => {
    const owner = await signUpUser(fixture.graph.client);
    const data = await owner.client.data(`{
      query: __type(name: "Query") { fields { name description } }
    }`);
    const fields = new Map((data.query.fields as { name: string; description: string | null }[]).map((field) => [field.name, field.description]));
    expect(fields.get('tokens')).toContain('API keys and OAuth apps: scope `tokens:read`.');
    expect(fields.get('webhookEndpoints')).toContain('scope `webhooks:read`');
    expect(fields.get('me')).toContain('Not available to API keys and OAuth apps.');
    const scopes = await owner.client.data('{ apiScopes { name description } }');
    expect(scopes.apiScopes.map((scope: { name: string }) => scope.name)).toContain('tokens:write');
  });
});
