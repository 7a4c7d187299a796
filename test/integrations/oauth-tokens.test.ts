import { createHash } from 'node:crypto';
import * as oauth from 'oauth4webapi';
import { describe, expect, test } from 'vitest';
import { errorCodes } from '../testkit/client.ts';
import { useTestGraph } from '../testkit/use-test-graph.ts';
import { createOrganization, signUpUser, type SignedUpUser } from '../testkit/seed.ts';

/*
 * The token lifecycle after the first exchange (refresh, revocation, public clients),
 * driven through the gateway by a real OAuth client library, as a third-party app would.
 */

const fixture = useTestGraph();

const redirectUri = 'https://app.example.com/callback';
const register = `mutation ($input: RegisterOAuthAppInput!) {
  registerOAuthApp(input: $input) { clientSecret app { id clientId clientType } }
}`;
const authorizeApp = `mutation ($input: AuthorizeOAuthAppInput!) { authorizeOAuthApp(input: $input) { redirectUrl } }`;
const listEndpoints = `query ($orgId: ID!) { webhookEndpoints(orgId: $orgId) { url } }`;

interface App {
  id: string;
  clientId: string;
  clientType: 'CONFIDENTIAL' | 'PUBLIC';
  clientSecret: string | null;
}

/** A user and their own organization, whose webhook endpoints a `webhooks:read` token lists. */
interface Resident {
  user: SignedUpUser;
  orgId: string;
}

async function registerApp(owner: SignedUpUser, input: Record<string, unknown> = {}): Promise<App> {
  const organization = await createOrganization(owner);
  const data = await owner.client.data(register, {
    input: { orgId: organization.id, name: 'Sync app', redirectUris: [redirectUri], allowedScopes: ['webhooks:read', 'organization:read'], ...input },
  });
  const { app, clientSecret } = data.registerOAuthApp;
  return { id: app.id, clientId: app.clientId, clientType: app.clientType, clientSecret };
}

async function newApp(input: Record<string, unknown> = {}): Promise<App> {
  return registerApp(await signUpUser(fixture.graph.client), input);
}

async function resident(): Promise<Resident> {
  const user = await signUpUser(fixture.graph.client);
  return { user, orgId: (await createOrganization(user)).id };
}

/** The gateway as oauth4webapi knows an authorization server: by its endpoints. */
function server(): oauth.AuthorizationServer {
  const origin = new URL(fixture.graph.client.url).origin;
  return { issuer: `${origin}/`, token_endpoint: `${origin}/oauth/token`, revocation_endpoint: `${origin}/oauth/revoke` };
}

/** The test graph listens on http://127.0.0.1, which oauth4webapi allows only when told. */
const onLoopback = { [oauth.allowInsecureRequests]: true } as const;

function client(app: App): oauth.Client {
  return { client_id: app.clientId };
}

/** A confidential app authenticates by HTTP Basic with its secret; a public one by client_id alone. */
function clientAuth(app: App): oauth.ClientAuth {
  return app.clientSecret ? oauth.ClientSecretBasic(app.clientSecret) : oauth.None();
}

/** The user consents on the dashboard; answers the callback's parameters, checked as the app would. */
async function consent(user: SignedUpUser, app: App, verifier: string, scopes: string[]): Promise<URLSearchParams> {
  const state = oauth.generateRandomState();
  const data = await user.client.data(authorizeApp, {
    input: {
      clientId: app.clientId,
      redirectUri,
      scopes,
      state,
      codeChallenge: await oauth.calculatePKCECodeChallenge(verifier),
      codeChallengeMethod: 'S256',
    },
  });
  return oauth.validateAuthResponse(server(), client(app), new URL(data.authorizeOAuthApp.redirectUrl), state);
}

/** The whole authorization-code flow with PKCE: the user consents, the app exchanges the code. */
async function authorize(user: SignedUpUser, app: App, scopes = ['webhooks:read']): Promise<oauth.TokenEndpointResponse> {
  const verifier = oauth.generateRandomCodeVerifier();
  const callback = await consent(user, app, verifier, scopes);
  const response = await oauth.authorizationCodeGrantRequest(server(), client(app), clientAuth(app), callback, redirectUri, verifier, onLoopback);
  return oauth.processAuthorizationCodeResponse(server(), client(app), response);
}

async function refresh(app: App, refreshToken: string, scope?: string): Promise<oauth.TokenEndpointResponse> {
  const response = await oauth.refreshTokenGrantRequest(server(), client(app), clientAuth(app), refreshToken, {
    ...onLoopback,
    ...(scope ? { additionalParameters: { scope } } : {}),
  });
  return oauth.processRefreshTokenResponse(server(), client(app), response);
}

async function clientCredentials(app: App, clientAuthentication = clientAuth(app)): Promise<oauth.TokenEndpointResponse> {
  const response = await oauth.clientCredentialsGrantRequest(server(), client(app), clientAuthentication, {}, onLoopback);
  return oauth.processClientCredentialsResponse(server(), client(app), response);
}

async function revoke(app: App, token: string, hint?: string, clientAuthentication = clientAuth(app)): Promise<undefined> {
  const response = await oauth.revocationRequest(server(), client(app), clientAuthentication, token, {
    ...onLoopback,
    ...(hint ? { additionalParameters: { token_type_hint: hint } } : {}),
  });
  return oauth.processRevocationResponse(response);
}

/** How an endpoint refused, as oauth4webapi reports it: the HTTP status and the OAuth error code. */
async function refusal(attempt: Promise<unknown>): Promise<{ status: number; error: string }> {
  const failure = await attempt.then(
    () => null,
    (error: unknown) => error,
  );
  if (failure instanceof oauth.ResponseBodyError) return { status: failure.status, error: failure.error };
  // A 401 comes with a WWW-Authenticate challenge, which oauth4webapi reports before the body.
  if (failure instanceof oauth.WWWAuthenticateChallengeError) {
    return { status: failure.status, error: ((await failure.response.json()) as { error: string }).error };
  }
  throw new Error(`expected an OAuth error answer, got ${failure === null ? 'success' : String(failure)}`);
}

/** The token lists the resident's webhook endpoints at the GraphQL endpoint. */
async function expectWorks(token: string, { orgId }: Resident): Promise<void> {
  const read = await fixture.graph.client.as(token).request(listEndpoints, { orgId });
  expect(read.errors).toBeUndefined();
  expect(read.data?.webhookEndpoints).toEqual([]);
}

/** The GraphQL endpoint refuses the token outright. */
async function expectRefused(token: string, { orgId }: Resident): Promise<void> {
  expect(errorCodes(await fixture.graph.client.as(token).request(listEndpoints, { orgId }))).toEqual(['UNAUTHENTICATED']);
}

function sha256(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

async function refreshRow(secret: string) {
  const rows = await fixture.db.query(
    `SELECT r.used_at, r.revoked_at, r.expires_at, r.created_at, r.grant_id, g.revoked_at AS grant_revoked_at, g.expires_at AS grant_expires_at, g.created_at AS grant_created_at
       FROM integrations.oauth_refresh_tokens r JOIN integrations.oauth_grants g ON g.id = r.grant_id WHERE r.token_hash = $1`,
    [sha256(secret)],
  );
  return rows.rows[0];
}

async function auditEntries(appId: string, action: string) {
  const rows = await fixture.db.query(
    `SELECT actor_type, actor_id, severity, changes FROM audit.entries WHERE action = $1 AND target_id = $2 ORDER BY sequence`,
    [action, appId],
  );
  return rows.rows;
}

const day = 24 * 3600_000;

describe('OAuth refresh tokens', () => {
  test('the authorization-code grant also answers a refresh token, kept only as its SHA-256; client credentials get none', async () => {
    const app = await newApp();
    const { user } = await resident();
    const issued = await authorize(user, app);
    expect(issued).toMatchObject({ token_type: 'bearer', expires_in: 3600, scope: 'webhooks:read' });
    expect(issued.refresh_token).toMatch(/^tnxor_[A-Za-z0-9_-]{43}$/);

    const row = await refreshRow(issued.refresh_token!);
    expect(row).toMatchObject({ used_at: null, revoked_at: null, grant_revoked_at: null });
    const stored = await fixture.db.query('SELECT row_to_json(r)::text AS json FROM integrations.oauth_refresh_tokens r WHERE grant_id = $1', [row.grant_id]);
    expect(stored.rows).toHaveLength(1);
    expect(stored.rows[0].json).not.toContain(issued.refresh_token!.slice(6));
    // Lifetimes: 30 days unused for the refresh token, 90 days for its grant however often it refreshes.
    expect(row.expires_at.getTime() - row.created_at.getTime()).toBeCloseTo(30 * day, -4);
    expect(row.grant_expires_at.getTime() - row.grant_created_at.getTime()).toBeCloseTo(90 * day, -4);

    const forTheApp = await clientCredentials(app);
    expect(forTheApp.access_token).toMatch(/^tnxo_/);
    expect(forTheApp.refresh_token).toBeUndefined();
  });

  test('a refresh rotates: a new access and refresh token, the old refresh token spent, the new access token acting for the user', async () => {
    const app = await newApp();
    const person = await resident();
    const first = await authorize(person.user, app);
    const second = await refresh(app, first.refresh_token!);
    expect(second).toMatchObject({ token_type: 'bearer', expires_in: 3600, scope: 'webhooks:read' });
    expect(second.access_token).toMatch(/^tnxo_/);
    expect(second.refresh_token).toMatch(/^tnxor_/);
    expect(second.access_token).not.toBe(first.access_token);
    expect(second.refresh_token).not.toBe(first.refresh_token);
    await expectWorks(second.access_token, person);

    const spent = await refreshRow(first.refresh_token!);
    const next = await refreshRow(second.refresh_token!);
    expect(spent.used_at).toBeInstanceOf(Date);
    expect(next).toMatchObject({ used_at: null, revoked_at: null, grant_id: spent.grant_id });
    const issued = await auditEntries(app.id, 'oauth.token_issued');
    expect(issued.map((entry) => entry.changes.after)).toEqual([
      { grant: 'authorization_code', userId: person.user.id, scopes: ['webhooks:read'], grantId: spent.grant_id },
      { grant: 'refresh_token', userId: person.user.id, scopes: ['webhooks:read'], grantId: spent.grant_id },
    ]);
    expect(issued[1]).toMatchObject({ actor_type: 'API_KEY', actor_id: `oauth-app:${app.id}`, severity: 'INFO' });
  });

  test('a spent refresh token presented again is invalid_grant and revokes its whole grant: the newest access and refresh tokens stop too', async () => {
    const app = await newApp();
    const person = await resident();
    const first = await authorize(person.user, app);
    const otherDevice = await authorize(person.user, app);
    const second = await refresh(app, first.refresh_token!);
    const third = await refresh(app, second.refresh_token!);
    await expectWorks(third.access_token, person);

    expect(await refusal(refresh(app, first.refresh_token!))).toEqual({ status: 400, error: 'invalid_grant' });
    for (const accessToken of [first.access_token, second.access_token, third.access_token]) await expectRefused(accessToken, person);
    expect(await refusal(refresh(app, third.refresh_token!))).toEqual({ status: 400, error: 'invalid_grant' });

    const row = await refreshRow(third.refresh_token!);
    expect(row.revoked_at).toBeInstanceOf(Date);
    expect(row.grant_revoked_at).toBeInstanceOf(Date);
    const unrevoked = await fixture.db.query(
      `SELECT count(*)::int AS n FROM integrations.oauth_access_tokens WHERE grant_id = $1 AND revoked_at IS NULL`,
      [row.grant_id],
    );
    expect(unrevoked.rows[0].n).toBe(0);
    expect(await auditEntries(app.id, 'oauth.refresh_token_reused')).toEqual([
      {
        actor_type: 'API_KEY',
        actor_id: `oauth-app:${app.id}`,
        severity: 'CRITICAL',
        changes: { after: { userId: person.user.id, grantId: row.grant_id, revoked: true } },
      },
    ]);
    // The user's other grant with the app (another device's) is not touched.
    await expectWorks(otherDevice.access_token, person);
    await expectWorks((await refresh(app, otherDevice.refresh_token!)).access_token, person);
  });

  test('of two refreshes racing with one refresh token, one gets tokens and the other revokes the grant', async () => {
    const app = await newApp();
    const person = await resident();
    const first = await authorize(person.user, app);
    const outcomes = await Promise.allSettled([refresh(app, first.refresh_token!), refresh(app, first.refresh_token!)]);
    const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const lost = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(await refusal(Promise.reject(lost[0]!.reason))).toEqual({ status: 400, error: 'invalid_grant' });
    await expectRefused(won[0]!.value.access_token, person);
    expect(await refusal(refresh(app, won[0]!.value.refresh_token!))).toEqual({ status: 400, error: 'invalid_grant' });
  });

  test("a refresh may narrow its access token's scopes, and the next refresh token keeps the grant's; widening is invalid_scope and spends nothing", async () => {
    const app = await newApp();
    const person = await resident();
    const first = await authorize(person.user, app, ['webhooks:read', 'organization:read']);
    expect(first.scope).toBe('organization:read webhooks:read');

    const wider = await refusal(refresh(app, first.refresh_token!, 'webhooks:read tokens:write'));
    expect(wider).toEqual({ status: 400, error: 'invalid_scope' });
    expect((await refreshRow(first.refresh_token!)).used_at).toBeNull();

    const narrow = await refresh(app, first.refresh_token!, 'organization:read');
    expect(narrow.scope).toBe('organization:read');
    const asNarrow = fixture.graph.client.as(narrow.access_token);
    expect((await asNarrow.request(`query ($id: ID!) { organization(id: $id) { id } }`, { id: person.orgId })).data?.organization).toEqual({
      id: person.orgId,
    });
    expect(errorCodes(await asNarrow.request(listEndpoints, { orgId: person.orgId }))).toEqual(['FORBIDDEN']);

    const whole = await refresh(app, narrow.refresh_token!);
    expect(whole.scope).toBe('organization:read webhooks:read');
    await expectWorks(whole.access_token, person);
  });

  test('a refresh token is refused to any other app, and is no access token at the GraphQL endpoint', async () => {
    const app = await newApp();
    const other = await newApp();
    const person = await resident();
    const issued = await authorize(person.user, app);
    expect(await refusal(refresh(other, issued.refresh_token!))).toEqual({ status: 400, error: 'invalid_grant' });
    await expectRefused(issued.refresh_token!, person);
    expect(await refusal(refresh(app, 'tnxor_not-a-token'))).toEqual({ status: 400, error: 'invalid_grant' });
    const missing = await oauth.genericTokenEndpointRequest(server(), client(app), clientAuth(app), 'refresh_token', {}, onLoopback);
    expect(await refusal(oauth.processGenericTokenEndpointResponse(server(), client(app), missing))).toEqual({ status: 400, error: 'invalid_request' });
    // None of that spent or revoked the app's own refresh token.
    await expectWorks((await refresh(app, issued.refresh_token!)).access_token, person);
  });

  test('an expired refresh token, or one of an expired grant, is refused', async () => {
    const app = await newApp();
    const { user } = await resident();
    const idle = await authorize(user, app);
    await fixture.db.query(`UPDATE integrations.oauth_refresh_tokens SET expires_at = now() - interval '1 second' WHERE token_hash = $1`, [
      sha256(idle.refresh_token!),
    ]);
    expect(await refusal(refresh(app, idle.refresh_token!))).toEqual({ status: 400, error: 'invalid_grant' });

    const old = await authorize(user, app);
    const { grant_id } = await refreshRow(old.refresh_token!);
    await fixture.db.query(`UPDATE integrations.oauth_grants SET expires_at = now() - interval '1 second' WHERE id = $1`, [grant_id]);
    expect(await refusal(refresh(app, old.refresh_token!))).toEqual({ status: 400, error: 'invalid_grant' });
  });

  test("withdrawing consent ends the app's refresh tokens for that user, and the codes it had not exchanged yet", async () => {
    const app = await newApp();
    const person = await resident();
    const issued = await authorize(person.user, app);
    const verifier = oauth.generateRandomCodeVerifier();
    const pending = await consent(person.user, app, verifier, ['webhooks:read']);

    await person.user.client.data(`mutation ($appId: ID!) { revokeOAuthConsent(appId: $appId) }`, { appId: app.id });
    expect(await refusal(refresh(app, issued.refresh_token!))).toEqual({ status: 400, error: 'invalid_grant' });
    await expectRefused(issued.access_token, person);
    expect((await refreshRow(issued.refresh_token!)).grant_revoked_at).toBeInstanceOf(Date);
    const exchange = oauth.authorizationCodeGrantRequest(server(), client(app), clientAuth(app), pending, redirectUri, verifier, onLoopback);
    expect(await refusal(exchange.then((response) => oauth.processAuthorizationCodeResponse(server(), client(app), response)))).toEqual({
      status: 400,
      error: 'invalid_grant',
    });
    // A withdrawal is no theft: nothing is recorded as a reused token.
    expect(await auditEntries(app.id, 'oauth.refresh_token_reused')).toEqual([]);
  });

  test("narrowing an app's allowed scopes ends the grants that hold a withdrawn scope, and only those", async () => {
    const owner = await signUpUser(fixture.graph.client);
    const app = await registerApp(owner);
    const reader = await resident();
    const member = await resident();
    const broad = await authorize(reader.user, app, ['webhooks:read']);
    const narrow = await authorize(member.user, app, ['organization:read']);

    await owner.client.data(`mutation ($id: ID!, $input: UpdateOAuthAppInput!) { updateOAuthApp(id: $id, input: $input) { id } }`, {
      id: app.id,
      input: { allowedScopes: ['organization:read'] },
    });
    expect(await refusal(refresh(app, broad.refresh_token!))).toEqual({ status: 400, error: 'invalid_grant' });
    expect((await refresh(app, narrow.refresh_token!)).scope).toBe('organization:read');
  });

  test('revoking an app ends its refresh tokens: the app is refused as a client, and its grants are marked revoked', async () => {
    const owner = await signUpUser(fixture.graph.client);
    const app = await registerApp(owner);
    const person = await resident();
    const issued = await authorize(person.user, app);
    await owner.client.data(`mutation ($id: ID!) { revokeOAuthApp(id: $id) { id } }`, { id: app.id });
    expect(await refusal(refresh(app, issued.refresh_token!))).toEqual({ status: 401, error: 'invalid_client' });
    const row = await refreshRow(issued.refresh_token!);
    expect(row.revoked_at).toBeInstanceOf(Date);
    expect(row.grant_revoked_at).toBeInstanceOf(Date);
  });

  test('a code exchanged twice revokes the grant it started, refresh token included', async () => {
    const app = await newApp();
    const person = await resident();
    const verifier = oauth.generateRandomCodeVerifier();
    const callback = await consent(person.user, app, verifier, ['webhooks:read']);
    const exchange = async () => {
      const response = await oauth.authorizationCodeGrantRequest(server(), client(app), clientAuth(app), callback, redirectUri, verifier, onLoopback);
      return oauth.processAuthorizationCodeResponse(server(), client(app), response);
    };
    const issued = await exchange();
    expect(await refusal(exchange())).toEqual({ status: 400, error: 'invalid_grant' });
    expect(await refusal(refresh(app, issued.refresh_token!))).toEqual({ status: 400, error: 'invalid_grant' });
    await expectRefused(issued.access_token, person);
    expect(await auditEntries(app.id, 'oauth.code_reused')).toMatchObject([{ severity: 'WARNING' }]);
  });
});

describe('OAuth token revocation (RFC 7009)', () => {
  test("revoking an access token stops it at the GraphQL endpoint at once, whatever the hint says; its grant's refresh token still works", async () => {
    const app = await newApp();
    const person = await resident();
    const issued = await authorize(person.user, app);
    await expectWorks(issued.access_token, person);

    await revoke(app, issued.access_token, 'refresh_token');
    await expectRefused(issued.access_token, person);
    await expectWorks((await refresh(app, issued.refresh_token!)).access_token, person);
    const { grant_id } = await refreshRow(issued.refresh_token!);
    expect(await auditEntries(app.id, 'oauth.token_revoked')).toEqual([
      {
        actor_type: 'API_KEY',
        actor_id: `oauth-app:${app.id}`,
        severity: 'INFO',
        changes: { after: { revoked: 'access_token', userId: person.user.id, grantId: grant_id } },
      },
    ]);

    // The app's own (client-credentials) tokens are revoked the same way.
    const own = (await clientCredentials(app)).access_token;
    expect(errorCodes(await fixture.graph.client.as(own).request('{ apiScopes { name } }'))).toEqual(['FORBIDDEN']);
    await revoke(app, own);
    expect(errorCodes(await fixture.graph.client.as(own).request('{ apiScopes { name } }'))).toEqual(['UNAUTHENTICATED']);
  });

  test('revoking a refresh token ends its grant: the refresh fails and every access token of the grant is refused', async () => {
    const app = await newApp();
    const person = await resident();
    const first = await authorize(person.user, app);
    const second = await refresh(app, first.refresh_token!);
    await revoke(app, second.refresh_token!, 'refresh_token');

    expect(await refusal(refresh(app, second.refresh_token!))).toEqual({ status: 400, error: 'invalid_grant' });
    await expectRefused(first.access_token, person);
    await expectRefused(second.access_token, person);
    const row = await refreshRow(second.refresh_token!);
    expect(row).toMatchObject({ revoked_at: expect.any(Date), grant_revoked_at: expect.any(Date) });
    expect((await auditEntries(app.id, 'oauth.token_revoked')).map((entry) => entry.changes.after)).toEqual([
      { revoked: 'refresh_token', userId: person.user.id, grantId: row.grant_id },
    ]);
    // Refused as revoked, not as reused: no theft is recorded.
    expect(await auditEntries(app.id, 'oauth.refresh_token_reused')).toEqual([]);
  });

  test('revocation answers 200 with an empty body for an unknown token, a token of no kind we issue, and one already revoked', async () => {
    const app = await newApp();
    const { user } = await resident();
    const issued = await authorize(user, app);
    const form = (token: string) =>
      fetch(server().revocation_endpoint!, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64')}` },
        body: new URLSearchParams({ token }).toString(),
      });
    for (const token of ['tnxo_unknown', 'tnxor_unknown', 'not-a-token', issued.refresh_token!, issued.refresh_token!]) {
      const answer = await form(token);
      expect({ status: answer.status, body: await answer.text(), cacheControl: answer.headers.get('cache-control') }).toEqual({
        status: 200,
        body: '',
        cacheControl: 'no-store',
      });
    }
    await expect(revoke(app, 'tnxo_unknown', 'access_token')).resolves.toBeUndefined();
    // The token revoked twice was recorded once.
    expect(await auditEntries(app.id, 'oauth.token_revoked')).toHaveLength(1);
  });

  test("a client cannot revoke another client's tokens: it is answered 200 and the tokens keep working", async () => {
    const app = await newApp();
    const intruder = await newApp();
    const person = await resident();
    const issued = await authorize(person.user, app);
    const own = (await clientCredentials(app)).access_token;

    for (const token of [issued.access_token, issued.refresh_token!, own]) await revoke(intruder, token);
    await expectWorks(issued.access_token, person);
    expect(errorCodes(await fixture.graph.client.as(own).request('{ apiScopes { name } }'))).toEqual(['FORBIDDEN']);
    await expectWorks((await refresh(app, issued.refresh_token!)).access_token, person);
    expect(await auditEntries(intruder.id, 'oauth.token_revoked')).toEqual([]);
    expect(await auditEntries(app.id, 'oauth.token_revoked')).toEqual([]);
  });

  test('the revocation endpoint refuses bad client authentication with invalid_client (401), and a request without a token or not a POST with invalid_request', async () => {
    const app = await newApp();
    const person = await resident();
    const issued = await authorize(person.user, app);
    const wrongSecret = await refusal(revoke(app, issued.access_token, undefined, oauth.ClientSecretBasic('tnxcs_wrong')));
    expect(wrongSecret).toEqual({ status: 401, error: 'invalid_client' });
    const unknownClient = await refusal(revoke({ ...app, clientId: 'tnxapp_unknown' }, issued.access_token));
    expect(unknownClient).toEqual({ status: 401, error: 'invalid_client' });
    await expectWorks(issued.access_token, person);

    const basic = `Basic ${Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64')}`;
    const noToken = await fetch(server().revocation_endpoint!, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic },
      body: 'token_type_hint=access_token',
    });
    expect({ status: noToken.status, body: await noToken.json() }).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    const get = await fetch(`${server().revocation_endpoint!}?token=${issued.access_token}`, { headers: { authorization: basic } });
    expect({ status: get.status, body: await get.json() }).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    await expectWorks(issued.access_token, person);
  });
});

describe('OAuth public clients', () => {
  test('a public app registers without a secret and does the whole flow with its client_id alone: code with PKCE, rotating refresh, revocation', async () => {
    const app = await newApp({ clientType: 'PUBLIC' });
    expect(app).toMatchObject({ clientType: 'PUBLIC', clientSecret: null });
    const row = await fixture.db.query('SELECT client_type, client_secret_hash FROM integrations.oauth_apps WHERE id = $1', [app.id]);
    expect(row.rows).toEqual([{ client_type: 'PUBLIC', client_secret_hash: null }]);
    const person = await resident();

    const first = await authorize(person.user, app);
    expect(first.refresh_token).toMatch(/^tnxor_/);
    await expectWorks(first.access_token, person);
    const second = await refresh(app, first.refresh_token!);
    await expectWorks(second.access_token, person);
    // Rotation is what protects a refresh token a public client cannot bind to a secret.
    expect(await refusal(refresh(app, first.refresh_token!))).toEqual({ status: 400, error: 'invalid_grant' });
    await expectRefused(second.access_token, person);
    expect(await auditEntries(app.id, 'oauth.refresh_token_reused')).toHaveLength(1);

    const again = await authorize(person.user, app);
    await revoke(app, again.refresh_token!);
    expect(await refusal(refresh(app, again.refresh_token!))).toEqual({ status: 400, error: 'invalid_grant' });
    await expectRefused(again.access_token, person);
  });

  test("a public client's code is bound to its PKCE verifier and to its client_id", async () => {
    const app = await newApp({ clientType: 'PUBLIC' });
    const other = await newApp({ clientType: 'PUBLIC' });
    const { user } = await resident();
    const verifier = oauth.generateRandomCodeVerifier();
    const callback = await consent(user, app, verifier, ['webhooks:read']);
    const exchange = async (as: App, codeVerifier: string) => {
      const response = await oauth.authorizationCodeGrantRequest(server(), client(as), oauth.None(), callback, redirectUri, codeVerifier, onLoopback);
      return oauth.processAuthorizationCodeResponse(server(), client(as), response);
    };
    expect(await refusal(exchange(app, oauth.generateRandomCodeVerifier()))).toEqual({ status: 400, error: 'invalid_grant' });
    expect(await refusal(exchange(other, verifier))).toEqual({ status: 400, error: 'invalid_grant' });
    expect((await exchange(app, verifier)).refresh_token).toMatch(/^tnxor_/);
  });

  test('a public client cannot use client credentials (unauthorized_client), nor authenticate with a secret (invalid_client)', async () => {
    const app = await newApp({ clientType: 'PUBLIC' });
    expect(await refusal(clientCredentials(app))).toEqual({ status: 400, error: 'unauthorized_client' });
    expect(await refusal(clientCredentials(app, oauth.ClientSecretPost('tnxcs_made-up')))).toEqual({ status: 401, error: 'invalid_client' });
    expect(await refusal(clientCredentials(app, oauth.ClientSecretBasic('tnxcs_made-up')))).toEqual({ status: 401, error: 'invalid_client' });
    expect(await auditEntries(app.id, 'oauth.token_issued')).toEqual([]);
  });

  test('a confidential client that omits its secret is refused with invalid_client at the token and revocation endpoints, and spends nothing', async () => {
    const app = await newApp();
    expect(app.clientType).toBe('CONFIDENTIAL');
    const person = await resident();
    const verifier = oauth.generateRandomCodeVerifier();
    const callback = await consent(person.user, app, verifier, ['webhooks:read']);
    const exchange = async (auth: oauth.ClientAuth) => {
      const response = await oauth.authorizationCodeGrantRequest(server(), client(app), auth, callback, redirectUri, verifier, onLoopback);
      return oauth.processAuthorizationCodeResponse(server(), client(app), response);
    };
    expect(await refusal(exchange(oauth.None()))).toEqual({ status: 401, error: 'invalid_client' });
    expect(await refusal(clientCredentials(app, oauth.None()))).toEqual({ status: 401, error: 'invalid_client' });

    const issued = await exchange(clientAuth(app));
    expect(await refusal(refresh({ ...app, clientSecret: null }, issued.refresh_token!))).toEqual({ status: 401, error: 'invalid_client' });
    expect(await refusal(revoke(app, issued.access_token, undefined, oauth.None()))).toEqual({ status: 401, error: 'invalid_client' });
    await expectWorks(issued.access_token, person);
    await expectWorks((await refresh(app, issued.refresh_token!)).access_token, person);
  });

  test("a public app has no secret to rotate: rotateOAuthClientSecret answers BAD_USER_INPUT and leaves the app as it was", async () => {
    const owner = await signUpUser(fixture.graph.client);
    const app = await registerApp(owner, { clientType: 'PUBLIC' });
    const rotated = await owner.client.request(`mutation ($id: ID!) { rotateOAuthClientSecret(id: $id) { clientSecret } }`, { id: app.id });
    expect(errorCodes(rotated)).toEqual(['BAD_USER_INPUT']);
    expect(rotated.errors?.[0]?.extensions?.field).toBe('id');
    const row = await fixture.db.query('SELECT client_secret_hash FROM integrations.oauth_apps WHERE id = $1', [app.id]);
    expect(row.rows).toEqual([{ client_secret_hash: null }]);
    expect(await auditEntries(app.id, 'oauth.client_secret_rotated')).toEqual([]);
    const listed = await owner.client.data(`query ($orgId: ID!) { oauthApps(orgId: $orgId) { id clientType } }`, {
      orgId: (await fixture.db.query('SELECT organization_id FROM integrations.oauth_apps WHERE id = $1', [app.id])).rows[0].organization_id,
    });
    expect(listed.oauthApps).toEqual([{ id: app.id, clientType: 'PUBLIC' }]);
  });
});
