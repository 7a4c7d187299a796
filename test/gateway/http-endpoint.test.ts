import { openDatabase } from '@token-nexus/prisma';
import pg from 'pg';
import { fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { GraphQLClient, errorCodes } from '../testkit/client.ts';
import { startTestGraph, type TestGraph } from '../testkit/graph.ts';
import { createScratchDatabase } from '../testkit/scratch-database.ts';
import { signUpUser } from '../testkit/seed.ts';

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph({ BODY_LIMIT_BYTES: String(64 * 1024) });
});
afterAll(async () => {
  await graph?.close();
});

async function post(body: string, headers: Record<string, string> = {}) {
  const response = await fetch(graph.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as any };
}

describe('request ids', () => {
  test('a sane incoming x-request-id is echoed on the response', async () => {
    const response = await post(JSON.stringify({ query: '{ me { id } }' }), { 'x-request-id': 'client-abc.123' });
    expect(response.headers.get('x-request-id')).toBe('client-abc.123');
  });

  test('a missing or unsafe x-request-id is replaced by a generated one, on every kind of response', async () => {
    const ok = await post(JSON.stringify({ query: '{ me { id } }' }));
    const bad = await post('{not json', { 'x-request-id': 'evil\tvalue with spaces' });
    const live = await fetch(graph.gateway.url.replace('/graphql', '/health/live'));
    const missing = await fetch(graph.gateway.url.replace('/graphql', '/nope'));
    const ids = [ok.headers, bad.headers, live.headers, missing.headers].map((h) => h.get('x-request-id'));
    for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(ids).size).toBe(4);
  });

  test('errors carry the request id in extensions', async () => {
    const response = await post(JSON.stringify({ query: '{ organization(slug: "x") { id } }' }), {
      'x-request-id': 'trace-me-1',
    });
    expect(response.body.errors[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', requestId: 'trace-me-1' });
  });
});

describe('health', () => {
  test('/health/live answers 200 while the process is up', async () => {
    const response = await fetch(graph.gateway.url.replace('/graphql', '/health/live'));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  test('/health/ready answers 200 when every subgraph answers', async () => {
    const expected = {
      status: 'ok',
      subgraphs: { identity: 'ok', audit: 'ok', cms: 'ok', tokens: 'ok', ai: 'ok', integrations: 'ok', analytics: 'ok', workflows: 'ok', media: 'ok' },
      redis: 'ok',
      cache: 'ok',
      sessions: 'mirrored',
      rateLimits: {
        identity: 'shared',
        audit: 'shared',
        cms: 'shared',
        tokens: 'shared',
        ai: 'shared',
        integrations: 'shared',
        analytics: 'shared',
        workflows: 'shared',
        media: 'shared',
      },
    };
    // On a busy machine the ended-sessions mirror may still be subscribing to Redis just
    // after start (sessions are then checked per request): wait for it, as readiness does.
    await vi.waitFor(
      async () => {
        const response = await fetch(graph.gateway.url.replace('/graphql', '/health/ready'));
        expect(response.status).toBe(200);
        expect(await response.json()).toEqual(expected);
      },
      { timeout: 15_000, interval: 200 },
    );
  });
});

describe('answers', () => {
  /** The raw body: what goes over the wire, byte for byte. */
  async function rawBody(body: string, headers: Record<string, string> = {}) {
    const response = await fetch(graph.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    return response.text();
  }

  test('are compact JSON: no indentation, no newline, not even at the end', async () => {
    const user = await signUpUser(graph.client);
    const single = await rawBody(JSON.stringify({ query: '{ me { id email } }' }), { authorization: `Bearer ${user.accessToken}` });
    const batch = await rawBody(JSON.stringify([{ query: '{ me { id } }' }, { query: '{ nope }' }]), { authorization: `Bearer ${user.accessToken}` });
    for (const text of [single, batch]) {
      expect(text).not.toMatch(/\n|\s{2}/);
      expect(text).toBe(JSON.stringify(JSON.parse(text)));
    }
    expect(JSON.parse(single)).toEqual({ data: { me: { id: user.id, email: user.email } } });
    expect(JSON.parse(batch)).toHaveLength(2);
  });
});

describe('bad requests', () => {
  test('a malformed JSON body is a 400 BAD_USER_INPUT', async () => {
    const response = await post('{"query": "{ me { id } }"');
    expect(response.status).toBe(400);
    expect(response.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(response.body.errors[0].message).toMatch(/not valid JSON/);
  });

  test('a variable of the wrong type is BAD_USER_INPUT and runs nothing', async () => {
    const response = await post(
      JSON.stringify({
        query: 'mutation ($input: SignUpInput!) { signUp(input: $input) { accessToken } }',
        variables: { input: { email: 42, password: ['x'], displayName: null } },
      }),
    );
    expect(response.status).toBe(400);
    expect(response.body.errors.map((error: any) => error.extensions.code)).toContain('BAD_USER_INPUT');
    expect(response.body.data).toBeUndefined();
  });

  test('a syntax error and an unknown field are BAD_USER_INPUT', async () => {
    for (const query of ['{ me { id ', '{ me { password } }']) {
      const response = await post(JSON.stringify({ query }));
      expect(response.status).toBe(400);
      expect(response.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    }
  });

  test('a body over the limit is refused with 413 before it is read whole', async () => {
    const response = await post(JSON.stringify({ query: `{ me { id } } # ${'x'.repeat(70 * 1024)}` }));
    expect(response.status).toBe(413);
    expect(response.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  test('a GET query without a preflight header is refused (CSRF prevention)', async () => {
    const response = await fetch(`${graph.gateway.url}?query=${encodeURIComponent('{ me { id } }')}`);
    expect(response.status).toBe(400);
  });
});

describe('developer experience outside production', () => {
  test('GET /graphql from a browser serves the GraphiQL explorer (see test/explorer)', async () => {
    const response = await fetch(graph.gateway.url, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<title>Token Nexus graph · GraphiQL</title>');
  });

  test('introspection is available', async () => {
    const response = await post(JSON.stringify({ query: '{ __schema { queryType { name } } }' }));
    expect(response.body.data.__schema.queryType.name).toBe('Query');
  });
});

describe('connections to subgraphs', () => {
  test('are kept alive and reused across requests', async () => {
    let opened = 0;
    const onConnection = () => opened++;
    graph.subgraphs.identity.httpServer.on('connection', onConnection);
    try {
      for (let index = 0; index < 20; index++) {
        await graph.client.data('{ me { id } }');
      }
    } finally {
      graph.subgraphs.identity.httpServer.off('connection', onConnection);
    }
    expect(opened).toBeLessThanOrEqual(1);
  });
});

describe('in production', () => {
  let production: TestGraph;
  beforeAll(async () => {
    production = await startTestGraph({
      NODE_ENV: 'production',
      GATEWAY_SIGNING_SECRET: 'a production signing secret of forty characters',
      AUTH_JWT_SECRET: 'a production access token secret, forty chars',
      TOKENS_MASTER_KEY: 'a production master key for deployer keys, forty',
      AI_MASTER_KEY: 'a production master key for AI provider keys, forty',
      INTEGRATIONS_MASTER_KEY: 'a production master key for webhook secrets, forty',
      WORKFLOWS_MASTER_KEY: 'a production master key for workflow step secrets, forty',
      MEDIA_URL_SECRET: 'a production key for media URLs of forty characters',
      // Never dialled in these tests: nothing here adds a member.
      SMTP_URL: 'smtp://127.0.0.1:1',
      MAIL_FROM: 'Token Nexus <no-reply@example.com>',
    });
  });
  afterAll(async () => {
    await production?.close();
  });

  test('introspection is off', async () => {
    const response = await production.client.request('{ __schema { queryType { name } } }');
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.data ?? null).toBeNull();
  });

  test('there is no explorer page: a browser is told the query is missing', async () => {
    const response = await fetch(production.gateway.url, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(400);
    const body = await response.text();
    expect(body).toContain('BAD_USER_INPUT');
    expect(body).not.toMatch(/GraphiQL|embeddable-sandbox/);
  });

  test('tokens signed with the development key are refused', async () => {
    const user = await signUpUser(graph.client);
    const response = await production.client.as(user.accessToken).request('{ me { id } }');
    expect(response.status).toBe(401);
  });
});

describe('unexpected errors', () => {
  test('are masked: no SQL, table or stack reaches the client, only a code and the request id', async () => {
    const scratch = await createScratchDatabase();
    const database = await openDatabase({ kind: 'postgres', url: scratch.url });
    await database.migrate();
    await database.close();
    const broken = await startTestGraph({ DATABASE_URL: scratch.url });
    try {
      const user = await signUpUser(broken.client);
      const sql = new pg.Client({ connectionString: scratch.url });
      await sql.connect();
      await sql.query('ALTER TABLE identity.users RENAME TO users_renamed_behind_our_back');
      await sql.end();
      const client = new GraphQLClient(broken.gateway.url, user.accessToken);
      const response = await client.request('{ me { id displayName } }', undefined, { 'x-request-id': 'masked-1' });
      expect(response.errors).toHaveLength(1);
      expect(response.errors![0]).toEqual({
        message: 'Internal server error',
        path: ['me'],
        extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'masked-1' },
      });
      expect(JSON.stringify(response)).not.toMatch(/users_renamed|identity|prisma|stack|SELECT/i);
    } finally {
      await broken.close();
      await scratch.drop();
    }
  });
});

describe('without Redis', () => {
  test('requests are still answered and readiness reports Redis as unavailable', async () => {
    const isolated = await startTestGraph({ REDIS_URL: 'redis://127.0.0.1:1' });
    try {
      const user = await signUpUser(isolated.client);
      expect((await user.client.data('{ me { id } }')).me.id).toBe(user.id);
      const ready = await fetch(isolated.gateway.url.replace('/graphql', '/health/ready'));
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ok', redis: 'unavailable', sessions: 'per-request' });
    } finally {
      await isolated.close();
    }
  });
});
