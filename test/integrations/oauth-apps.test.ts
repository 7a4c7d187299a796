import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { errorCodes } from '../testkit/client.ts';
import { useTestGraph } from '../testkit/use-test-graph.ts';
import { createOrganization, signUpUser, type SignedUpUser } from '../testkit/seed.ts';

const fixture = useTestGraph();

const redirectUri = 'https://app.example.com/callback';
const register = `mutation ($input: RegisterOAuthAppInput!) {
  registerOAuthApp(input: $input) { clientSecret app { id clientId redirectUris allowedScopes } }
}`;
const authorize = `mutation ($input: AuthorizeOAuthAppInput!) { authorizeOAuthApp(input: $input) { redirectUrl expiresAt } }`;
const listEndpoints = `query ($orgId: ID!) { webhookEndpoints(orgId: $orgId) { url } }`;

interface App {
  id: string;
  clientId: string;
  clientSecret: string;
}

async function registerApp(owner: SignedUpUser, allowedScopes = ['webhooks:read', 'organization:read']): Promise<App> {
  const organization = await createOrganization(owner);
  const data = await owner.client.data(register, {
    input: { orgId: organization.id, name: 'Reporting app', redirectUris: [redirectUri], allowedScopes },
  });
  const { app, clientSecret } = data.registerOAuthApp;
  return { id: app.id, clientId: app.clientId, clientSecret };
}

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** The user consents; answers the code from the redirect, as the app's callback would read it. */
async function consent(user: SignedUpUser, app: App, challenge: string, scopes = ['webhooks:read']) {
  const data = await user.client.data(authorize, {
    input: { clientId: app.clientId, redirectUri, scopes, state: 'xyz', codeChallenge: challenge, codeChallengeMethod: 'S256' },
  });
  const url = new URL(data.authorizeOAuthApp.redirectUrl);
  expect(`${url.origin}${url.pathname}`).toBe(redirectUri);
  expect(url.searchParams.get('state')).toBe('xyz');
  return url.searchParams.get('code')!;
}

/** An authorization request as a consent screen sends it; `input` overrides its fields. */
function requestConsent(user: SignedUpUser, app: App, input: Record<string, unknown> = {}) {
  return user.client.request(authorize, {
    input: { clientId: app.clientId, redirectUri, scopes: ['webhooks:read'], codeChallenge: pkce().challenge, codeChallengeMethod: 'S256', ...input },
  });
}

/** `POST /oauth/token` on the gateway, form-encoded, the client authenticated by HTTP Basic. */
async function token(app: Pick<App, 'clientId' | 'clientSecret'>, form: Record<string, string>) {
  const response = await fetch(new URL('/oauth/token', fixture.graph.client.url), {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64')}`,
    },
    body: new URLSearchParams(form).toString(),
  });
  return { status: response.status, cacheControl: response.headers.get('cache-control'), body: (await response.json()) as Record<string, string> };
}

/** The whole authorization-code flow: the user consents, the app exchanges the code. */
async function userTokenFor(user: SignedUpUser, app: App): Promise<string> {
  const { verifier, challenge } = pkce();
  const code = await consent(user, app, challenge);
  const issued = await token(app, { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier });
  return issued.body.access_token!;
}

async function userWithEndpoint() {
  const user = await signUpUser(fixture.graph.client);
  const organization = await createOrganization(user);
  await user.client.data(`mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret } }`, {
    input: { orgId: organization.id, url: 'https://hooks.example.com/user', eventTypes: ['member.added'] },
  });
  return { user, organization };
}

describe('OAuth apps', () => {
  test('authorization code with PKCE: the token acts for the user, within the consented scopes only', async () => {
    const owner = await signUpUser(fixture.graph.client);
    const app = await registerApp(owner);
    expect(app.clientSecret).toMatch(/^tnxcs_/);
    const stored = await fixture.db.query('SELECT client_secret_hash FROM integrations.oauth_apps WHERE id = $1', [app.id]);
    expect(stored.rows[0].client_secret_hash).toBe(createHash('sha256').update(app.clientSecret).digest('hex'));

    const { user, organization } = await userWithEndpoint();
    const consentScreen = `query ($clientId: String!, $redirectUri: String!, $scopes: [String!]!) {
      oauthAuthorizationRequest(clientId: $clientId, redirectUri: $redirectUri, scopes: $scopes) {
        app { name clientId } scopes { name description } alreadyConsented
      }
    }`;
    const before = await user.client.data(consentScreen, { clientId: app.clientId, redirectUri, scopes: ['webhooks:read'] });
    expect(before.oauthAuthorizationRequest).toMatchObject({
      app: { name: 'Reporting app', clientId: app.clientId },
      scopes: [{ name: 'webhooks:read' }],
      alreadyConsented: false,
    });
    const { verifier, challenge } = pkce();
    const code = await consent(user, app, challenge);
    const after = await user.client.data(consentScreen, { clientId: app.clientId, redirectUri, scopes: ['webhooks:read'] });
    expect(after.oauthAuthorizationRequest.alreadyConsented).toBe(true);
    const issued = await token(app, { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier });
    expect(issued).toMatchObject({ status: 200, cacheControl: 'no-store', body: { token_type: 'Bearer', expires_in: 3600, scope: 'webhooks:read' } });
    const asApp = fixture.graph.client.as(issued.body.access_token);

    const read = await asApp.request(listEndpoints, { orgId: organization.id });
    expect(read.errors).toBeUndefined();
    expect(read.data?.webhookEndpoints).toEqual([{ url: 'https://hooks.example.com/user' }]);
    // organization:read is allowed to the app but was not consented to.
    const org = await asApp.request(`query ($id: ID!) { organization(id: $id) { name } }`, { id: organization.id });
    expect(errorCodes(org)).toEqual(['FORBIDDEN']);
    expect(errorCodes(await asApp.request('{ me { id } }'))).toEqual(['FORBIDDEN']);
    const consentRow = await fixture.db.query('SELECT scopes FROM integrations.oauth_consents WHERE app_id = $1 AND user_id = $2', [app.id, user.id]);
    expect(consentRow.rows).toEqual([{ scopes: ['webhooks:read'] }]);
  });

  test('a code_verifier that does not match the challenge is refused', async () => {
    const owner = await signUpUser(fixture.graph.client);
    const app = await registerApp(owner);
    const { challenge } = pkce();
    const code = await consent(owner, app, challenge);
    const refused = await token(app, { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: pkce().verifier });
    expect(refused).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(refused.body.error_description).toContain('code_verifier');
  });

  test("a redirect URI that is not exactly one of the app's is refused, when consenting and when exchanging", async () => {
    const owner = await signUpUser(fixture.graph.client);
    const app = await registerApp(owner);
    const { verifier, challenge } = pkce();
    for (const wrong of ['https://app.example.com/callback/', 'https://app.example.com/callback?x=1', 'https://evil.example.com/callback']) {
      const refused = await requestConsent(owner, app, { redirectUri: wrong });
      expect(errorCodes(refused)).toEqual(['BAD_USER_INPUT']);
    }
    const code = await consent(owner, app, challenge);
    const exchanged = await token(app, { grant_type: 'authorization_code', code, redirect_uri: 'https://evil.example.com/callback', code_verifier: verifier });
    expect(exchanged).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  test('a code used twice is refused the second time, and the token of the first use stops working', async () => {
    const owner = await signUpUser(fixture.graph.client);
    const app = await registerApp(owner);
    const { user, organization } = await userWithEndpoint();
    const { verifier, challenge } = pkce();
    const code = await consent(user, app, challenge);
    const form = { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier };
    const first = await token(app, form);
    expect(first.status).toBe(200);
    const second = await token(app, form);
    expect(second).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_description: 'The code has already been used.' } });
    const afterReplay = await fixture.graph.client.as(first.body.access_token).request(listEndpoints, { orgId: organization.id });
    expect(errorCodes(afterReplay)).toEqual(['UNAUTHENTICATED']);
  });

  test('client credentials: the app acts for its own organization with the scopes it asks for, within those allowed', async () => {
    const owner = await signUpUser(fixture.graph.client);
    const app = await registerApp(owner);
    const tooMuch = await token(app, { grant_type: 'client_credentials', scope: 'webhooks:read tokens:write' });
    expect(tooMuch).toMatchObject({ status: 400, body: { error: 'invalid_scope' } });
    const issued = await token(app, { grant_type: 'client_credentials', scope: 'organization:read' });
    expect(issued).toMatchObject({ status: 200, body: { scope: 'organization:read' } });
    const appOrg = await fixture.db.query('SELECT organization_id FROM integrations.oauth_apps WHERE id = $1', [app.id]);
    const read = await fixture.graph.client.as(issued.body.access_token).request(`query ($id: ID!) { organization(id: $id) { id } }`, {
      id: appOrg.rows[0].organization_id,
    });
    expect(read.data?.organization).toEqual({ id: appOrg.rows[0].organization_id });
    const wrongSecret = await token({ clientId: app.clientId, clientSecret: 'tnxcs_wrong' }, { grant_type: 'client_credentials' });
    expect(wrongSecret).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    const malformed = await fetch(new URL('/oauth/token', fixture.graph.client.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from('%zz:%zz').toString('base64')}` },
      body: 'grant_type=client_credentials',
    });
    expect(malformed.status).toBe(401);
    expect(await malformed.json()).toMatchObject({ error: 'invalid_client' });
    // Each token issued is in the organization's trail, as the app's act; refusals issue none.
    const trail = await fixture.db.query(
      `SELECT actor_type, actor_id, changes FROM audit.entries WHERE action = 'oauth.token_issued' AND target_id = $1`,
      [app.id],
    );
    expect(trail.rows).toEqual([
      { actor_type: 'API_KEY', actor_id: `oauth-app:${app.id}`, changes: { after: { grant: 'client_credentials', scopes: ['organization:read'] } } },
    ]);
  });

  test('revoking an app stops its tokens at once and refuses it new ones', async () => {
    const owner = await signUpUser(fixture.graph.client);
    const app = await registerApp(owner);
    const { user, organization } = await userWithEndpoint();
    const userToken = await userTokenFor(user, app);
    const appToken = (await token(app, { grant_type: 'client_credentials' })).body.access_token!;
    expect((await fixture.graph.client.as(userToken).request(listEndpoints, { orgId: organization.id })).errors).toBeUndefined();

    await owner.client.data(`mutation ($id: ID!) { revokeOAuthApp(id: $id) { revokedAt } }`, { id: app.id });
    for (const revoked of [userToken, appToken]) {
      const refused = await fixture.graph.client.as(revoked).request('{ apiScopes { name } }');
      expect(errorCodes(refused)).toEqual(['UNAUTHENTICATED']);
    }
    expect(await token(app, { grant_type: 'client_credentials' })).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    const refusedConsent = await requestConsent(user, app);
    expect(errorCodes(refusedConsent)).toEqual(['BAD_USER_INPUT']);
  });

  test('a rotated client secret replaces the old one at once; plain PKCE is not accepted', async () => {
    const owner = await signUpUser(fixture.graph.client);
    const app = await registerApp(owner);
    const rotated = await owner.client.data(`mutation ($id: ID!) { rotateOAuthClientSecret(id: $id) { clientSecret } }`, { id: app.id });
    expect((await token(app, { grant_type: 'client_credentials' })).status).toBe(401);
    expect((await token({ ...app, clientSecret: rotated.rotateOAuthClientSecret.clientSecret }, { grant_type: 'client_credentials' })).status).toBe(200);
    const plain = await requestConsent(owner, app, { codeChallenge: 'a'.repeat(43), codeChallengeMethod: 'plain' });
    expect(errorCodes(plain)).toEqual(['BAD_USER_INPUT']);
  });

  test('a user sees the apps they authorized and can withdraw one: its tokens for them stop at once', async () => {
    const owner = await signUpUser(fixture.graph.client);
    const app = await registerApp(owner);
    const { user, organization } = await userWithEndpoint();
    const userToken = await userTokenFor(user, app);

    const listed = await user.client.data('{ authorizedOAuthApps { app { id name } scopes { name } } }');
    expect(listed.authorizedOAuthApps).toEqual([{ app: { id: app.id, name: 'Reporting app' }, scopes: [{ name: 'webhooks:read' }] }]);
    const withdrawn = await user.client.data(`mutation ($appId: ID!) { revokeOAuthConsent(appId: $appId) }`, { appId: app.id });
    expect(withdrawn.revokeOAuthConsent).toBe(true);
    expect(errorCodes(await fixture.graph.client.as(userToken).request(listEndpoints, { orgId: organization.id }))).toEqual(['UNAUTHENTICATED']);
    expect((await user.client.data('{ authorizedOAuthApps { app { id } } }')).authorizedOAuthApps).toEqual([]);
    // The app itself is untouched: its own (client-credentials) tokens still work.
    expect((await token(app, { grant_type: 'client_credentials' })).status).toBe(200);
  });

  test("narrowing an app's scopes withdraws them from consents and stops the tokens that carry them", async () => {
    const owner = await signUpUser(fixture.graph.client);
    const app = await registerApp(owner, ['webhooks:read', 'organization:read']);
    const broad = (await token(app, { grant_type: 'client_credentials', scope: 'webhooks:read organization:read' })).body.access_token!;
    const narrow = (await token(app, { grant_type: 'client_credentials', scope: 'organization:read' })).body.access_token!;
    const { user } = await userWithEndpoint();
    await consent(user, app, pkce().challenge, ['webhooks:read', 'organization:read']);

    const updated = await owner.client.data(
      `mutation ($id: ID!, $input: UpdateOAuthAppInput!) { updateOAuthApp(id: $id, input: $input) { allowedScopes redirectUris } }`,
      { id: app.id, input: { allowedScopes: ['organization:read'], redirectUris: ['https://app.example.com/v2/callback'] } },
    );
    expect(updated.updateOAuthApp).toEqual({ allowedScopes: ['organization:read'], redirectUris: ['https://app.example.com/v2/callback'] });
    expect(errorCodes(await fixture.graph.client.as(broad).request('{ apiScopes { name } }'))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await fixture.graph.client.as(narrow).request('{ apiScopes { name } }'))).toEqual(['FORBIDDEN']);
    const consents = await user.client.data('{ authorizedOAuthApps { scopes { name } } }');
    expect(consents.authorizedOAuthApps).toEqual([{ scopes: [{ name: 'organization:read' }] }]);
    const oldRedirect = await requestConsent(user, app, { scopes: ['organization:read'] });
    expect(errorCodes(oldRedirect)).toEqual(['BAD_USER_INPUT']);
  });
});
