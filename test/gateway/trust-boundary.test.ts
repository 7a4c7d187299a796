import { encodeClaims, signRequest, type Claims } from '@token-nexus/shared';
import { fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestGraph, type TestGraph } from '../testkit/graph.ts';
import { createOrganization, signUpUser, type SignedUpUser } from '../testkit/seed.ts';

/** The signing secret the test graph runs with (the development stand-in). */
const secret = 'development-only gateway signing secret: never use in production';

let graph: TestGraph;
let owner: SignedUpUser;
let stranger: SignedUpUser;
let orgId: string;
beforeAll(async () => {
  graph = await startTestGraph();
  owner = await signUpUser(graph.client);
  stranger = await signUpUser(graph.client);
  orgId = (await createOrganization(owner)).id;
});
afterAll(async () => {
  await graph?.close();
});

function claimsFor(userId: string | null): Claims {
  return {
    v: 1,
    actor: userId ? { type: 'user', userId } : { type: 'anonymous' },
    requestId: 'test-request',
    clientIp: null,
    userAgent: null,
  };
}

interface DirectCall {
  query: string;
  variables?: Record<string, unknown>;
  headers?: Record<string, string>;
}

/** Calls the identity subgraph directly, around the gateway. */
async function callSubgraph({ query, variables, headers = {} }: DirectCall) {
  const response = await fetch(graph.subgraphs.identity.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as any };
}

function signedHeaders(body: string, claims: Claims, options: { key?: string; now?: number } = {}) {
  const encoded = encodeClaims(claims);
  return {
    'x-tnx-claims': encoded,
    'x-tnx-signature': signRequest(options.key ?? secret, encoded, body, options.now),
  };
}

const entitiesQuery = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on User { id email } ... on Organization { id name } }
}`;

describe('a subgraph called around the gateway', () => {
  const unsignedCases: [string, DirectCall][] = [
    ['a plain query', { query: '{ me { id } }' }],
    ['_service', { query: '{ _service { sdl } }' }],
    ['_entities', { query: entitiesQuery, variables: { representations: [{ __typename: 'User', id: 'x' }] } }],
    ['a mutation', { query: 'mutation { logOut(refreshToken: "x") }' }],
  ];
  test.each(unsignedCases)('refuses %s without a signature (401 UNAUTHENTICATED)', async (_case, call) => {
    const result = await callSubgraph(call);
    expect(result.status).toBe(401);
    expect(result.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(result.body.data).toBeUndefined();
  });

  test('refuses claims of a real user with a signature made with another key', async () => {
    const body = JSON.stringify({ query: '{ me { id email } }' });
    const result = await callSubgraph({
      query: '{ me { id email } }',
      headers: signedHeaders(body, claimsFor(owner.id), { key: 'a guess at the secret that is long enough' }),
    });
    expect(result.status).toBe(401);
    expect(result.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  test('refuses a valid signature replayed with another operation', async () => {
    const signedBody = JSON.stringify({ query: '{ me { id } }' });
    const result = await callSubgraph({
      query: '{ _service { sdl } }',
      headers: signedHeaders(signedBody, claimsFor(owner.id)),
    });
    expect(result.status).toBe(401);
  });

  test('refuses a valid signature replayed with other claims', async () => {
    const body = JSON.stringify({ query: '{ me { id } }' });
    const headers = signedHeaders(body, claimsFor(stranger.id));
    const result = await callSubgraph({
      query: '{ me { id } }',
      headers: { ...headers, 'x-tnx-claims': encodeClaims(claimsFor(owner.id)) },
    });
    expect(result.status).toBe(401);
  });

  test('refuses a correctly signed request that is two minutes old', async () => {
    const body = JSON.stringify({ query: '{ me { id } }' });
    const result = await callSubgraph({
      query: '{ me { id } }',
      headers: signedHeaders(body, claimsFor(owner.id), { now: Date.now() - 120_000 }),
    });
    expect(result.status).toBe(401);
  });

  test('refuses GET, whose operation would sit outside the signed body', async () => {
    const response = await fetch(`${graph.subgraphs.identity.url}?query=${encodeURIComponent('{ me { id } }')}`);
    expect(response.status).toBe(405);
  });

  test('answers a correctly signed request (so the refusals above are about the signature)', async () => {
    const query = '{ me { id } _service { sdl } }';
    const body = JSON.stringify({ query });
    const result = await callSubgraph({ query, headers: signedHeaders(body, claimsFor(owner.id)) });
    expect(result.status).toBe(200);
    expect(result.body.data.me.id).toBe(owner.id);
    expect(result.body.data._service.sdl).toContain('type Organization');
  });
});

describe("a subgraph's answer to the gateway", () => {
  test('is compact JSON: no indentation, no newline, not even at the end', async () => {
    const body = JSON.stringify({ query: '{ me { id email } }' });
    const response = await fetch(graph.subgraphs.identity.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signedHeaders(body, claimsFor(owner.id)) },
      body,
    });
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({ data: { me: { id: owner.id } } });
    expect(text).not.toMatch(/\n|\s{2}/);
    expect(text).toBe(JSON.stringify(JSON.parse(text)));
  });
});

describe('entity references (_entities) are authorized like every other entry point', () => {
  async function resolveEntities(viewerId: string, representations: object[]) {
    const body = JSON.stringify({ query: entitiesQuery, variables: { representations } });
    return callSubgraph({
      query: entitiesQuery,
      variables: { representations },
      headers: signedHeaders(body, claimsFor(viewerId)),
    });
  }

  test('an organization resolves for its member and is FORBIDDEN for anyone else', async () => {
    const member = await resolveEntities(owner.id, [{ __typename: 'Organization', id: orgId }]);
    expect(member.body.data._entities[0].id).toBe(orgId);
    const outsider = await resolveEntities(stranger.id, [{ __typename: 'Organization', id: orgId }]);
    expect(outsider.body.data._entities).toEqual([null]);
    expect(outsider.body.errors[0].extensions.code).toBe('FORBIDDEN');
  });

  test('a user resolves for themself and is null for someone who shares no organization', async () => {
    const self = await resolveEntities(owner.id, [{ __typename: 'User', id: owner.id }]);
    expect(self.body.data._entities[0]).toEqual({ id: owner.id, email: owner.email });
    const stranger_ = await resolveEntities(stranger.id, [{ __typename: 'User', id: owner.id }]);
    expect(stranger_.body.data._entities).toEqual([null]);
  });
});

describe('identity headers sent by a client to the gateway', () => {
  test('are never trusted: forged claims and signature are replaced by the gateway\'s own', async () => {
    const body = JSON.stringify({ query: '{ me { id } }' });
    const forged = signedHeaders(body, claimsFor(owner.id));
    const response = await graph.client.request('{ me { id } }', undefined, forged);
    expect(response.errors).toBeUndefined();
    expect(response.data!.me).toBeNull();
  });
});
