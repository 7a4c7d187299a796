import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { startTestGraph, type TestGraph } from '../testkit/graph.ts';
import { createOrganization, signUpUser, unique, type SignedUpUser } from '../testkit/seed.ts';

/**
 * Small limits, so that the operations at and over each of them stay readable. Every
 * operation below stays within all the other limits, so each test hits only its own.
 */
const limits = {
  MAX_QUERY_DEPTH: '8',
  MAX_ALIASES: '2',
  MAX_ROOT_FIELDS: '3',
  MAX_TOKENS: '100',
  MAX_DIRECTIVES: '2',
  MAX_QUERY_COST: '63',
  DEFAULT_LIST_SIZE: '5',
  MAX_BATCH_SIZE: '3',
  BODY_LIMIT_BYTES: '4096',
};

const productionSecrets = {
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
};

let graph: TestGraph;
let production: TestGraph;
let owner: SignedUpUser;
let organization: { id: string; slug: string };
beforeAll(async () => {
  [graph, production] = await Promise.all([
    startTestGraph(limits),
    startTestGraph({ ...limits, ...productionSecrets }),
  ]);
  owner = await signUpUser(graph.client);
  organization = await createOrganization(owner);
});
afterAll(async () => {
  await Promise.all([graph?.close(), production?.close()]);
});

interface Answer {
  status: number;
  body: any;
}

/** POSTs a body (an object or array, JSON-encoded; a string as is) to a gateway. */
async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

/** Runs an operation as the organization's owner on the development graph. */
function asOwner(query: string, variables: Record<string, unknown> = {}): Promise<Answer> {
  return post(
    graph.gateway.url,
    { query, variables: { slug: organization.slug, orgId: organization.id, ...variables } },
    { authorization: `Bearer ${owner.accessToken}` },
  );
}

function expectAccepted(answer: Answer) {
  expect(answer.body.errors).toBeUndefined();
  expect(answer.status).toBe(200);
  expect(answer.body.data).toBeTruthy();
}

function expectRefused(answer: Answer, message: string) {
  expect(answer.status).toBe(400);
  expect(answer.body.data ?? null).toBeNull();
  expect(answer.body.errors).toHaveLength(1);
  expect(answer.body.errors[0].message).toBe(message);
  expect(answer.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
}

interface LimitCase {
  limit: string;
  atLimit: string;
  variables?: Record<string, unknown>;
  overLimit: string;
  refusal: string;
}

const cases: LimitCase[] = [
  {
    limit: 'MAX_QUERY_DEPTH',
    // organization > members > edges > node > user > memberships > organization > slug
    atLimit: `query ($slug: String!) {
      organization(slug: $slug) {
        members(first: 1) { edges { node { user { memberships { organization { slug } } } } } }
      }
    }`,
    overLimit: `query ($slug: String!) {
      organization(slug: $slug) {
        members(first: 1) { edges { node { user { memberships { organization { members(first: 1) { totalCount } } } } } } }
      }
    }`,
    refusal: 'The operation is nested too deeply: MAX_QUERY_DEPTH allows 8.',
  },
  {
    limit: 'MAX_ALIASES',
    atLimit: '{ me { name: displayName mail: email } }',
    overLimit: '{ me { name: displayName mail: email key: id } }',
    refusal: 'The operation uses too many aliases: MAX_ALIASES allows 2.',
  },
  {
    limit: 'MAX_ROOT_FIELDS',
    atLimit: `query ($slug: String!, $orgId: ID!) {
      me { id } organization(slug: $slug) { id } dashboardLayout(orgId: $orgId) { version }
    }`,
    overLimit: `query ($slug: String!, $orgId: ID!) {
      me { id } organization(slug: $slug) { id } dashboardLayout(orgId: $orgId) { version } again: me { id }
    }`,
    refusal: 'The operation asks for too many root fields (4): MAX_ROOT_FIELDS allows 3.',
  },
  {
    limit: 'MAX_TOKENS',
    // `{ me { id` and `} }` are 6 tokens; each __typename one more (and costs nothing).
    atLimit: `{ me { id ${'__typename '.repeat(94)}} }`,
    overLimit: `{ me { id ${'__typename '.repeat(95)}} }`,
    refusal: 'The operation has too many tokens: MAX_TOKENS allows 100.',
  },
  {
    limit: 'MAX_DIRECTIVES',
    atLimit: 'query ($all: Boolean!) { me { id email @include(if: $all) displayName @include(if: $all) } }',
    variables: { all: true },
    overLimit: `query ($all: Boolean!) {
      me { id email @include(if: $all) displayName @include(if: $all) isSystemAdmin @skip(if: false) }
    }`,
    refusal: 'The operation uses too many directives: MAX_DIRECTIVES allows 2.',
  },
  {
    limit: 'MAX_QUERY_COST',
    // organization 1 + members 1 + edges (1 + first × (node 1 + role 1)): 63 for 30 rows.
    atLimit: 'query ($slug: String!) { organization(slug: $slug) { members(first: 30) { edges { node { role } } } } }',
    overLimit: 'query ($slug: String!) { organization(slug: $slug) { members(first: 31) { edges { node { role } } } } }',
    refusal: 'The operation is too expensive (cost 65): MAX_QUERY_COST allows 63.',
  },
];

describe('operation limits', () => {
  test.each(cases)(
    '$limit: an operation exactly at the limit runs, one past it is refused with 400 naming the limit',
    async ({ atLimit, overLimit, variables, refusal }) => {
      expectAccepted(await asOwner(atLimit, variables));
      expectRefused(await asOwner(overLimit, variables), refusal);
    },
  );

  test('in production, the same refusals name neither the limit nor its value', async () => {
    for (const { overLimit, variables } of cases) {
      const answer = await post(production.gateway.url, {
        query: overLimit,
        variables: { slug: organization.slug, orgId: organization.id, ...variables },
      });
      expectRefused(answer, 'The operation is too complex.');
    }
  });

  test('a connection costs by its `first`: 5 rows pass where 50 do not', async () => {
    const query = `query ($slug: String!, $first: Int) {
      organization(slug: $slug) { members(first: $first) { edges { node { role } } } }
    }`;
    expectAccepted(await asOwner(query, { first: 5 }));
    expectRefused(
      await asOwner(query, { first: 50 }),
      'The operation is too expensive (cost 103): MAX_QUERY_COST allows 63.',
    );
  });

  test('nested lists multiply: two lists that pass alone are refused one inside the other', async () => {
    // me 1 + memberships (1 + DEFAULT_LIST_SIZE 5 × (role 1)): 7
    expectAccepted(await asOwner('{ me { memberships { role } } }'));
    // organization 1 + members 1 + edges (1 + 10 × (node 1 + role 1)): 23
    expectAccepted(
      await asOwner(`query ($slug: String!) {
        organization(slug: $slug) { members(first: 10) { edges { node { role } } } }
      }`),
    );
    // me 1 + memberships (1 + 5 × (organization 1 + 23 - 1)): 117
    expectRefused(
      await asOwner('{ me { memberships { organization { members(first: 10) { edges { node { role } } } } } } }'),
      'The operation is too expensive (cost 117): MAX_QUERY_COST allows 63.',
    );
  });

  test('a fragment spread inside itself is refused at once', async () => {
    const started = performance.now();
    const answer = await asOwner(`
      { me { ...Memberships } }
      fragment Memberships on User { memberships { user { ...Memberships } } }`);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(answer.status).toBe(400);
    expect(answer.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(answer.body.errors[0].message).toContain('Cannot spread fragment "Memberships" within itself');
  });
});

describe('request body size', () => {
  /** A request body of exactly `bytes` bytes: `{ me { id } }` padded with a comment. */
  function bodyOf(bytes: number): string {
    const empty = JSON.stringify({ query: '{ me { id } } #' });
    return JSON.stringify({ query: `{ me { id } } #${'x'.repeat(bytes - empty.length)}` });
  }

  test('a body of exactly BODY_LIMIT_BYTES is served, one byte more is refused with 413 naming the limit', async () => {
    expect(Buffer.byteLength(bodyOf(4096))).toBe(4096);
    expectAccepted(await post(graph.gateway.url, bodyOf(4096)));
    const refused = await post(graph.gateway.url, bodyOf(4097));
    expect(refused.status).toBe(413);
    expect(refused.body.errors[0]).toMatchObject({
      message: 'The request body is too large: BODY_LIMIT_BYTES allows 4096 bytes.',
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });

  test('in production, the refusal does not name the limit', async () => {
    const refused = await post(production.gateway.url, bodyOf(4097));
    expect(refused.status).toBe(413);
    expect(refused.body.errors[0].message).toBe('The request body is too large.');
  });
});

describe('batched requests', () => {
  test('a batch of N operations answers N results, in order', async () => {
    const answer = await post(
      graph.gateway.url,
      [
        { query: '{ me { id } }' },
        {
          query: 'query ($slug: String!) { organization(slug: $slug) { slug } }',
          variables: { slug: organization.slug },
        },
        { query: '{ me { email } }' },
      ],
      { authorization: `Bearer ${owner.accessToken}` },
    );
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual([
      { data: { me: { id: owner.id } } },
      { data: { organization: { slug: organization.slug } } },
      { data: { me: { email: owner.email } } },
    ]);
  });

  test('a batch longer than MAX_BATCH_SIZE is refused whole with 400, and none of it runs', async () => {
    const slug = `never-${unique()}`;
    const create = {
      query: 'mutation ($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }',
      variables: { input: { name: 'Never created', slug } },
    };
    const me = { query: '{ me { id } }' };
    const answer = await post(graph.gateway.url, [create, me, me, me], {
      authorization: `Bearer ${owner.accessToken}`,
    });
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toHaveLength(1);
    expect(answer.body.errors[0].message).toBe('The request holds too many operations (4): MAX_BATCH_SIZE allows 3.');
    expect(answer.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const lookup = await owner.client.request('query ($slug: String!) { organization(slug: $slug) { id } }', { slug });
    expect(lookup.data).toEqual({ organization: null });
  });

  test('in production, an over-long batch is refused without naming the limit', async () => {
    const me = { query: '{ me { id } }' };
    const answer = await post(production.gateway.url, [me, me, me, me]);
    expect(answer.status).toBe(400);
    expect(answer.body.errors[0].message).toBe('The request holds too many operations.');
  });

  test('each operation of a batch goes through the limits on its own', async () => {
    const deep = cases.find((limitCase) => limitCase.limit === 'MAX_QUERY_DEPTH')!;
    const answer = await post(
      graph.gateway.url,
      [
        { query: '{ me { id } }' },
        { query: deep.overLimit, variables: { slug: organization.slug } },
      ],
      { authorization: `Bearer ${owner.accessToken}` },
    );
    expect(answer.body).toHaveLength(2);
    expect(answer.body[0]).toEqual({ data: { me: { id: owner.id } } });
    expect(answer.body[1].errors[0]).toMatchObject({
      message: deep.refusal,
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });
});

describe('field suggestions', () => {
  const misspeltField = '{ me { emial } }';
  const misspeltEnum = {
    query: 'mutation ($role: Role!) { addMember(orgId: "1", email: "a@example.com", role: $role) { role } }',
    variables: { role: 'OWNERR' },
  };

  test('outside production, errors suggest the name that was meant', async () => {
    const field = await post(graph.gateway.url, { query: misspeltField });
    expect(field.status).toBe(400);
    expect(field.body.errors[0].message).toBe('Cannot query field "emial" on type "User". Did you mean "email"?');
    const value = await post(graph.gateway.url, misspeltEnum);
    expect(value.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(value.body.errors[0].message).toContain('Did you mean the enum value "OWNER"?');
  });

  test('in production, no error suggests a name', async () => {
    const field = await post(production.gateway.url, { query: misspeltField });
    expect(field.status).toBe(400);
    expect(field.body.errors[0]).toMatchObject({
      message: 'Cannot query field "emial" on type "User".',
      extensions: { code: 'BAD_USER_INPUT' },
    });
    const value = await post(production.gateway.url, misspeltEnum);
    expect(value.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(value.body.errors[0].message).toContain('"OWNERR" does not exist in "Role" enum');
    expect(value.body.errors[0].message).not.toMatch(/did you mean|OWNER"/i);
  });
});

describe('automatic persisted queries', () => {
  const persisted = (query: string) => ({
    persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') },
  });

  test('a hash alone is unknown, the hash with its query runs and stores it, then the hash alone runs', async () => {
    const query = `query PersistedMe${unique().replaceAll('-', '')} { me { id } }`;
    const headers = { authorization: `Bearer ${owner.accessToken}` };
    const unknown = await post(graph.gateway.url, { extensions: persisted(query) }, headers);
    expect(unknown.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const registered = await post(graph.gateway.url, { query, extensions: persisted(query) }, headers);
    expect(registered.body).toEqual({ data: { me: { id: owner.id } } });
    const known = await post(graph.gateway.url, { extensions: persisted(query) }, headers);
    expect(known.body).toEqual({ data: { me: { id: owner.id } } });
  });

  test('an operation over a limit is not stored', async () => {
    const query = `{ me { n${unique().replaceAll('-', '')}: id a: email b: displayName } }`;
    const refused = await post(graph.gateway.url, { query, extensions: persisted(query) });
    expect(refused.body.errors[0].message).toBe('The operation uses too many aliases: MAX_ALIASES allows 2.');
    const unknown = await post(graph.gateway.url, { extensions: persisted(query) });
    expect(unknown.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });
});

describe('the log of a refusal', () => {
  let child: ChildProcessWithoutNullStreams | undefined;
  afterAll(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
  });

  test('names the request id and the reason, even in production where the client is not told', async () => {
    // The gateway as its own process, logging to its stdout; refused operations never
    // reach a subgraph, so none is needed behind it.
    child = spawn(process.execPath, ['--import', 'tsx', 'gateway/src/main.ts'], {
      cwd: new URL('../../', import.meta.url).pathname,
      env: {
        PATH: process.env.PATH,
        ...productionSecrets,
        LOG_LEVEL: 'info',
        PORT: '0',
        REDIS_URL: inject('redisUrl'),
        IDENTITY_URL: 'http://127.0.0.1:9/graphql',
        AUDIT_URL: 'http://127.0.0.1:9/graphql',
        CMS_URL: 'http://127.0.0.1:9/graphql',
        TOKENS_URL: 'http://127.0.0.1:9/graphql',
        AI_URL: 'http://127.0.0.1:9/graphql',
        INTEGRATIONS_URL: 'http://127.0.0.1:9/graphql',
        ANALYTICS_URL: 'http://127.0.0.1:9/graphql',
        WORKFLOWS_URL: 'http://127.0.0.1:9/graphql',
        MEDIA_URL: 'http://127.0.0.1:9/graphql',
        EVENT_CHANNEL_PREFIX: 'tnx-test-refusal-log:',
        MAX_QUERY_DEPTH: '3',
      },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const lines = () =>
      output
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, any>);
    const waitFor = async (find: () => Record<string, any> | undefined) => {
      for (let waited = 0; waited < 30_000; waited += 100) {
        const found = find();
        if (found) return found;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`not logged:\n${output}`);
    };
    const listening = await waitFor(() => lines().find((line) => line.msg === 'gateway listening'));

    const answer = await post(
      listening.url,
      { query: '{ me { memberships { organization { id } } } }' },
      { 'x-request-id': 'refused-deep-1' },
    );
    expect(answer.body.errors[0].message).toBe('The operation is too complex.');
    const line = await waitFor(() => lines().find((entry) => entry.requestId === 'refused-deep-1'));
    expect(line).toMatchObject({
      level: 'warn',
      msg: 'request',
      status: 400,
      limit: 'MAX_QUERY_DEPTH',
      error: { message: 'The operation is nested too deeply: MAX_QUERY_DEPTH allows 3.' },
    });
  }, 60_000);
});
