import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Validator } from '@seriousme/openapi-schema-validator';
import { openApiDocument } from '@token-nexus/gateway';
import { developmentSecrets, signPayload } from '@token-nexus/shared';
import sharp from 'sharp';
import { fetch } from 'undici';
import { describe, expect, test } from 'vitest';
import { cmsOrganization, createPage, documentOf, publishPage } from '../testkit/cms-seed.ts';
import { createOrganization, signUpUser, type SignedUpUser } from '../testkit/seed.ts';
import { useTestGraph } from '../testkit/use-test-graph.ts';
import { acceptedTypes } from '../../subgraphs/media/src/processing/accepted-types.ts';
import { createFolderUrlSigner, type FolderUrlClaims } from '../../subgraphs/media/src/storage/folder-storage.ts';
import { responseChecker, type Observed } from './openapi-responses.ts';

// A small body limit and one live subscription per user, so that both refusals can be seen.
const fixture = useTestGraph({ BODY_LIMIT_BYTES: '65536', SUBSCRIPTIONS_PER_USER: '1' });
const check = responseChecker(openApiDocument);
const redirectUri = 'https://app.example.com/callback';

function origin(): string {
  return new URL(fixture.graph.gateway.url).origin;
}

/** Sends a request to the gateway and reads the whole answer. */
async function send(method: string, path: string, init: { headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<Observed> {
  const response = await fetch(`${origin()}${path}`, { method, headers: init.headers, body: init.body });
  return { status: response.status, contentType: response.headers.get('content-type'), text: await response.text() };
}

/** The request answers `status`, as the document describes that answer. */
async function expectDocumented(
  method: string,
  documentedPath: string,
  status: number,
  init: { path?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<Observed> {
  const observed = await send(method, init.path ?? documentedPath, init);
  expect(check(method, documentedPath, observed)).toEqual([]);
  expect(observed.status, observed.text.slice(0, 300)).toBe(status);
  return observed;
}

const mediaUrls = createFolderUrlSigner(developmentSecrets.mediaUrlSecret);

/** A `/media/files/` path and query signed as the folder storage signs them, valid for `seconds` (negative: expired). */
function signedMediaPath(claims: Omit<FolderUrlClaims, 'expires'>, seconds: number): string {
  const signed: FolderUrlClaims = { ...claims, expires: String(Math.floor(Date.now() / 1000) + seconds) };
  const query = new URLSearchParams({ op: signed.op, expires: signed.expires });
  if (signed.type !== null) query.set('type', signed.type);
  if (signed.size !== null) query.set('size', signed.size);
  if (signed.filename !== null) query.set('filename', signed.filename);
  query.set('sig', mediaUrls.sign(signed));
  return `/media/files/${signed.key}?${query}`;
}

const form = (fields: Record<string, string>) => ({
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});

const basic = (clientId: string, secret: string) => `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`;

async function confidentialApp(owner: SignedUpUser): Promise<{ clientId: string; clientSecret: string }> {
  const organization = await createOrganization(owner);
  const data = await owner.client.data(
    `mutation ($input: RegisterOAuthAppInput!) { registerOAuthApp(input: $input) { app { clientId } clientSecret } }`,
    { input: { orgId: organization.id, name: 'Sync app', redirectUris: [redirectUri], allowedScopes: ['webhooks:read'] } },
  );
  return { clientId: data.registerOAuthApp.app.clientId, clientSecret: data.registerOAuthApp.clientSecret };
}

/** The user approves the app; answers the code and its PKCE verifier. */
async function authorizationCode(user: SignedUpUser, clientId: string): Promise<{ code: string; verifier: string }> {
  const verifier = randomBytes(32).toString('base64url');
  const data = await user.client.data(`mutation ($input: AuthorizeOAuthAppInput!) { authorizeOAuthApp(input: $input) { redirectUrl } }`, {
    input: {
      clientId,
      redirectUri,
      scopes: ['webhooks:read'],
      codeChallenge: createHash('sha256').update(verifier).digest('base64url'),
      codeChallengeMethod: 'S256',
    },
  });
  return { code: new URL(data.authorizeOAuthApp.redirectUrl).searchParams.get('code')!, verifier };
}

describe('the OpenAPI document at /openapi.json', () => {
  test('is valid OpenAPI 3.1, and is what the gateway serves', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(openApiDocument) as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    const served = await expectDocumented('GET', '/openapi.json', 200);
    expect(JSON.parse(served.text)).toEqual(openApiDocument);
  });

  test('a status, content type or body it does not describe is reported (so the checks below can fail)', () => {
    const json = 'application/json';
    expect(check('GET', '/health/ready', { status: 200, contentType: json, text: '{"status":"maybe"}' })).toHaveLength(1);
    expect(check('GET', '/health/live', { status: 418, contentType: json, text: '{}' })).toHaveLength(1);
    expect(check('POST', '/oauth/revoke', { status: 200, contentType: json, text: '{}' })).toHaveLength(1);
    const unknownCode = '{"errors":[{"message":"no","extensions":{"code":"BAD_REQUEST"}}]}';
    expect(check('POST', '/graphql', { status: 400, contentType: json, text: unknownCode })).toHaveLength(1);
  });

  test('documents every route the gateway serves beside GraphQL', () => {
    expect(Object.keys(openApiDocument.paths ?? {}).sort()).toEqual([
      '/downloads/audit-exports/{id}',
      '/downloads/cms-exports/{id}',
      '/graphql',
      '/graphql/stream',
      '/health/live',
      '/health/ready',
      '/hooks/workflows/{id}',
      '/media/files/{key}',
      '/media/public/{key}',
      '/oauth/revoke',
      '/oauth/token',
      '/openapi.json',
      '/sites/{orgSlug}/robots.txt',
      '/sites/{orgSlug}/sitemap.xml',
    ]);
  });

  test('describes a media file as each type media accepts, or as stored without one', () => {
    const documented = Object.keys((openApiDocument.paths?.['/media/files/{key}']?.get?.responses?.['200'] as { content: object }).content);
    expect(documented.sort()).toEqual([...Object.keys(acceptedTypes), 'application/octet-stream'].sort());
  });
});

describe('the documented routes answer as documented', () => {
  test('health: live and ready', async () => {
    await expectDocumented('GET', '/health/live', 200);
    const ready = await expectDocumented('GET', '/health/ready', 200);
    expect(JSON.parse(ready.text).status).toBe('ok');
  });

  test('GraphQL over HTTP: GET and POST, batches, and the refusals', async () => {
    const query = encodeURIComponent('{ __typename }');
    await expectDocumented('GET', '/graphql', 200, { path: `/graphql?query=${query}`, headers: { 'apollo-require-preflight': 'true' } });
    await expectDocumented('GET', '/graphql', 400, { path: `/graphql?query=${query}` });
    const json = { 'content-type': 'application/json' };
    await expectDocumented('POST', '/graphql', 200, { headers: json, body: JSON.stringify({ query: '{ __typename }' }) });
    await expectDocumented('POST', '/graphql', 200, { headers: json, body: JSON.stringify([{ query: '{ a: __typename }' }, { query: '{ b: __typename }' }]) });
    await expectDocumented('POST', '/graphql', 400, { headers: json, body: '{ not json' });
    await expectDocumented('POST', '/graphql', 401, {
      headers: { ...json, authorization: 'Bearer not-a-token' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    await expectDocumented('POST', '/graphql', 413, { headers: json, body: JSON.stringify({ query: `{ __typename } # ${'x'.repeat(70_000)}` }) });
  });

  test("an INBOUND workflow's hook: started, repeated, forged and unknown", async () => {
    const owner = await signUpUser(fixture.graph.client);
    const organization = await createOrganization(owner);
    const created = (await owner.client.data(
      `mutation ($orgId: ID!, $input: WorkflowInput!) { createWorkflow(orgId: $orgId, input: $input) { id inbound { path secret } } }`,
      { orgId: organization.id, input: { name: 'Hook', trigger: { type: 'INBOUND' }, steps: [{ key: 'note', type: 'setVariables', input: { variables: { seen: true } } }] } },
    )).createWorkflow as { id: string; inbound: { path: string; secret: string } };
    const body = JSON.stringify({ order: 42 });
    const signed = (id: string, secret: string) => {
      const timestamp = Math.floor(Date.now() / 1000);
      return {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signPayload({ id, timestamp, body, secrets: [secret] }),
      };
    };
    const first = await expectDocumented('POST', '/hooks/workflows/{id}', 202, { path: created.inbound.path, headers: signed('msg_1', created.inbound.secret), body });
    const again = await expectDocumented('POST', '/hooks/workflows/{id}', 202, { path: created.inbound.path, headers: signed('msg_1', created.inbound.secret), body });
    expect(JSON.parse(again.text)).toEqual({ runId: JSON.parse(first.text).runId, duplicate: true });
    await expectDocumented('POST', '/hooks/workflows/{id}', 401, { path: created.inbound.path, headers: signed('msg_2', 'whsec_' + Buffer.alloc(32, 7).toString('base64')), body });
    await expectDocumented('POST', '/hooks/workflows/{id}', 404, { path: `/hooks/workflows/${randomUUID()}`, headers: signed('msg_3', created.inbound.secret), body });
  });

  test('the graphql-sse stream: a subscription streams, anything else is refused', async () => {
    const owner = await signUpUser(fixture.graph.client);
    const organization = await createOrganization(owner);
    const stream = (token: string | null, body: unknown) => ({
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    const subscription = { query: 'subscription ($orgId: ID!) { auditEntryAdded(orgId: $orgId) { sequence } }', variables: { orgId: organization.id } };
    // A live stream never ends by itself: read its head, then hang up.
    const aborter = new AbortController();
    const open = await fetch(`${origin()}/graphql/stream`, { method: 'POST', ...stream(owner.accessToken, subscription), signal: aborter.signal });
    expect(check('POST', '/graphql/stream', { status: open.status, contentType: open.headers.get('content-type'), text: '' })).toEqual([]);
    expect(open.status).toBe(200);
    // The user's one allowed subscription is taken by the stream above.
    await expectDocumented('POST', '/graphql/stream', 429, stream(owner.accessToken, subscription));
    aborter.abort();
    await expectDocumented('POST', '/graphql/stream', 400, stream(null, { query: '{ __typename }' }));
    await expectDocumented('POST', '/graphql/stream', 401, stream('not-a-token', subscription));
    const refused = await send('GET', '/graphql/stream');
    expect(check('POST', '/graphql/stream', refused)).toEqual([]);
    expect(refused.status).toBe(405);
  });

  test('the token endpoint: each grant, and the OAuth errors', async () => {
    const owner = await signUpUser(fixture.graph.client);
    const app = await confidentialApp(owner);
    const authorization = { authorization: basic(app.clientId, app.clientSecret) };
    const credentials = form({ grant_type: 'client_credentials' });
    await expectDocumented('POST', '/oauth/token', 200, { ...credentials, headers: { ...credentials.headers, ...authorization } });

    const { code, verifier } = await authorizationCode(owner, app.clientId);
    const exchange = form({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier, client_id: app.clientId, client_secret: app.clientSecret });
    const tokens = JSON.parse((await expectDocumented('POST', '/oauth/token', 200, exchange)).text);
    const refresh = form({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
    await expectDocumented('POST', '/oauth/token', 200, { ...refresh, headers: { ...refresh.headers, ...authorization } });

    const wrongSecret = { ...credentials, headers: { ...credentials.headers, authorization: basic(app.clientId, 'tnxcs_wrong') } };
    const invalidClient = await expectDocumented('POST', '/oauth/token', 401, wrongSecret);
    expect(JSON.parse(invalidClient.text).error).toBe('invalid_client');
    const password = form({ grant_type: 'password' });
    const unsupported = await expectDocumented('POST', '/oauth/token', 400, { ...password, headers: { ...password.headers, ...authorization } });
    expect(JSON.parse(unsupported.text).error).toBe('unsupported_grant_type');
    const huge = form({ grant_type: 'client_credentials', padding: 'x'.repeat(20_000) });
    await expectDocumented('POST', '/oauth/token', 413, { ...huge, headers: { ...huge.headers, ...authorization } });
  });

  test('the revocation endpoint: a revoked token, a missing one, a client it does not know', async () => {
    const owner = await signUpUser(fixture.graph.client);
    const app = await confidentialApp(owner);
    const authorization = { authorization: basic(app.clientId, app.clientSecret) };
    const credentials = form({ grant_type: 'client_credentials' });
    const issued = await send('POST', '/oauth/token', { ...credentials, headers: { ...credentials.headers, ...authorization } });
    const revoke = form({ token: JSON.parse(issued.text).access_token });
    await expectDocumented('POST', '/oauth/revoke', 200, { ...revoke, headers: { ...revoke.headers, ...authorization } });
    const empty = form({});
    await expectDocumented('POST', '/oauth/revoke', 400, { ...empty, headers: { ...empty.headers, ...authorization } });
    const unknown = form({ token: 'tnxo_unknown', client_id: 'tnxapp_unknown' });
    await expectDocumented('POST', '/oauth/revoke', 401, unknown);
  });

  test('media files on the embedded storage: an upload, downloads, and the URLs that are refused', async () => {
    const owner = await signUpUser(fixture.graph.client);
    const organization = await createOrganization(owner);
    const notes = 'Quarterly notes: revenue up, costs down.\n';
    const started = (await owner.client.data(
      `mutation ($orgId: ID!, $input: CreateMediaUploadInput!) { createMediaUpload(orgId: $orgId, input: $input) { uploadUrl uploadMethod uploadHeaders } }`,
      { orgId: organization.id, input: { filename: 'notes.txt', contentType: 'text/plain', byteSize: notes.length, sha256: createHash('sha256').update(notes).digest('hex') } },
    )).createMediaUpload as { uploadUrl: string; uploadMethod: string; uploadHeaders: Record<string, string> };
    const upload = new URL(started.uploadUrl);
    expect(upload.origin).toBe(origin());
    const files = '/media/files/{key}';
    const uploadPath = `${upload.pathname}${upload.search}`;
    const put = (path: string, body: string, headers = started.uploadHeaders) => ({ path, headers, body });

    await expectDocumented('PUT', files, 413, put(uploadPath, `${notes}and more`));
    await expectDocumented('PUT', files, 400, put(uploadPath, notes, { 'content-type': 'text/csv' }));
    const forgedUpload = await expectDocumented('PUT', files, 403, put(uploadPath.replace(/sig=[^&]+/, 'sig=forged'), notes));
    expect(JSON.parse(forgedUpload.text).reason).toBe('signature');
    expect(started.uploadMethod).toBe('PUT');
    await expectDocumented('PUT', files, 200, put(uploadPath, notes));

    // A download is signed as the media subgraph signs one once the asset is READY (the test
    // graph runs with the development secret); processing is not what is documented here.
    const key = upload.pathname.slice('/media/files/'.length);
    const download = signedMediaPath({ op: 'get', key, type: null, size: null, filename: 'notes.txt' }, 60);
    const file = await expectDocumented('GET', files, 200, { path: download });
    expect(file.text).toBe(notes);
    expect(file.contentType).toBe('text/plain');
    await expectDocumented('HEAD', files, 200, { path: download });
    const range = await expectDocumented('GET', files, 206, { path: download, headers: { range: 'bytes=0-8' } });
    expect(range.text).toBe('Quarterly');
    await expectDocumented('GET', files, 416, { path: download, headers: { range: `bytes=${notes.length}-` } });
    const forged = await expectDocumented('GET', files, 403, { path: download.replace(/sig=[^&]+/, 'sig=forged') });
    expect(JSON.parse(forged.text).reason).toBe('signature');
    await expectDocumented('HEAD', files, 403, { path: download.replace(/sig=[^&]+/, 'sig=forged') });
    const expired = await expectDocumented('GET', files, 403, { path: signedMediaPath({ op: 'get', key, type: null, size: null, filename: null }, -1) });
    expect(JSON.parse(expired.text).reason).toBe('expired');
    const neverUploaded = key.replace(/[0-9a-f]{64}$/, 'f'.repeat(64));
    await expectDocumented('GET', files, 404, { path: signedMediaPath({ op: 'get', key: neverUploaded, type: null, size: null, filename: null }, 60) });
    await expectDocumented('HEAD', files, 404, { path: signedMediaPath({ op: 'get', key: neverUploaded, type: null, size: null, filename: null }, 60) });
    await expectDocumented('GET', files, 404, { path: '/media/files/orgs//uploads/x' });
    await expectDocumented('GET', files, 400, { path: signedMediaPath({ op: 'get', key: 'orgs/not-an-organization/uploads/x', type: null, size: null, filename: null }, 60) });

    // A variant, stored through a PUT signed as the folder storage would sign one (processing
    // writes variants itself), is served immutable at /media/public/, with the graph's public signature.
    const webp = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#08f' } }).webp().toBuffer();
    const variantKey = `orgs/${organization.id}/variants/${createHash('sha256').update(webp).digest('hex')}.webp`;
    const storeVariant = signedMediaPath({ op: 'put', key: variantKey, type: 'image/webp', size: String(webp.length), filename: null }, 60);
    await expectDocumented('PUT', files, 200, { path: storeVariant, headers: { 'content-type': 'image/webp' }, body: webp });
    const publicFiles = '/media/public/{key}';
    const publicPath = `/media/public/${variantKey}?sig=${mediaUrls.signPublic(variantKey)}`;
    await expectDocumented('GET', publicFiles, 403, { path: `/media/public/${variantKey}` });
    const variant = await send('GET', publicPath);
    expect(check('GET', publicFiles, variant)).toEqual([]);
    expect(variant.status).toBe(200);
    const servedVariant = await fetch(`${origin()}${publicPath}`);
    expect(servedVariant.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(Buffer.from(await servedVariant.arrayBuffer()).equals(webp)).toBe(true);
    await expectDocumented('HEAD', publicFiles, 200, { path: publicPath });
    await expectDocumented('GET', publicFiles, 304, { path: publicPath, headers: { 'if-none-match': servedVariant.headers.get('etag')! } });
    await expectDocumented('GET', publicFiles, 206, { path: publicPath, headers: { range: 'bytes=0-3' } });
    // An upload is never public, and is answered like nothing at all.
    await expectDocumented('GET', publicFiles, 404, { path: `/media/public/${key}` });
    await expectDocumented('HEAD', publicFiles, 404, { path: `/media/public/${key}` });
  });

  test('audit export downloads: the signed link, and links that are not', async () => {
    const owner = await signUpUser(fixture.graph.client);
    const organization = await createOrganization(owner);
    const { id } = (await owner.client.data(`mutation ($orgId: ID!) { exportAuditLogs(orgId: $orgId, format: CSV) { id } }`, { orgId: organization.id })).exportAuditLogs;
    let downloadUrl: string | null = null;
    for (const deadline = Date.now() + 20_000; !downloadUrl && Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 100))) {
      downloadUrl = (await owner.client.data(`query ($id: ID!) { auditExport(id: $id) { downloadUrl } }`, { id })).auditExport.downloadUrl;
    }
    expect(downloadUrl).toMatch(/^\/downloads\/audit-exports\//);
    const documented = '/downloads/audit-exports/{id}';
    const file = await expectDocumented('GET', documented, 200, { path: downloadUrl! });
    expect(file.text.split('\n')[0]).toMatch(/^sequence,occurredAt,/);
    await expectDocumented('GET', documented, 403, { path: downloadUrl!.replace(/signature=[^&]+/, 'signature=forged') });
    await expectDocumented('GET', documented, 403, { path: downloadUrl!.replace(id, randomUUID()) });
    await expectDocumented('GET', documented, 404, { path: '/downloads/audit-exports/not-an-export' });
  });

  test("exports of a form's leads: the signed link, and links that are not", async () => {
    const { organization, member } = await cmsOrganization(fixture.graph.client);
    const form = { id: 'contact', component: 'form', props: { fields: [{ name: 'email', type: 'email', label: 'Email', required: true }] } };
    const page = await createPage(member.client, { orgId: organization.id, document: documentOf(form) });
    await publishPage(member.client, page.id);
    await fixture.graph.client.data(
      `mutation ($orgSlug: String!, $pageSlug: String!) { submitForm(orgSlug: $orgSlug, pageSlug: $pageSlug, formId: "contact", values: { email: "ada@example.com" }) { id } }`,
      { orgSlug: organization.slug, pageSlug: page.slug },
    );
    const { id, url } = (
      await member.client.data(`mutation ($orgId: ID!) { exportFormSubmissions(orgId: $orgId, formId: "contact") { id url } }`, { orgId: organization.id })
    ).exportFormSubmissions;
    const documented = '/downloads/cms-exports/{id}';
    const file = await expectDocumented('GET', documented, 200, { path: url });
    expect(file.text.split('\n')[0]).toBe('id,submittedAt,locale,pageSlug,email');
    await expectDocumented('GET', documented, 403, { path: url.replace(/signature=[^&]+/, 'signature=forged') });
    await expectDocumented('GET', documented, 403, { path: url.replace(id, randomUUID()) });
    await expectDocumented('GET', documented, 404, { path: '/downloads/cms-exports/not.an.export' });
  });

  test("a site's sitemap and robots.txt: served, held, unknown, and other methods", async () => {
    const owner = await signUpUser(fixture.graph.client);
    const organization = await createOrganization(owner);
    for (const file of ['sitemap.xml', 'robots.txt']) {
      const documented = `/sites/{orgSlug}/${file}`;
      const path = `/sites/${organization.slug}/${file}`;
      await expectDocumented('GET', documented, 200, { path });
      const etag = (await fetch(`${origin()}${path}`, { method: 'HEAD' })).headers.get('etag')!;
      await expectDocumented('HEAD', documented, 200, { path });
      await expectDocumented('GET', documented, 304, { path, headers: { 'if-none-match': etag } });
      await expectDocumented('HEAD', documented, 304, { path, headers: { 'if-none-match': etag } });
      await expectDocumented('GET', documented, 404, { path: `/sites/no-such-organization/${file}` });
      await expectDocumented('HEAD', documented, 404, { path: `/sites/no-such-organization/${file}` });
      await expectDocumented('GET', documented, 404, { path: `/sites/Not_A_Slug/${file}` });
      // The refusal of another method is documented with GET, as for the stream.
      const refused = await send('POST', path);
      expect(check('GET', documented, refused)).toEqual([]);
      expect(refused.status).toBe(405);
    }
  });
});
