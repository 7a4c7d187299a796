import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import pg from 'pg';
import { GraphQLClient, errorCodes, randomIp, type GraphQLResponse } from '../testkit/client.ts';
import { startTestGraph, type TestGraph } from '../testkit/graph.ts';
import { signUpUser, unique } from '../testkit/seed.ts';

/**
 * Two complete instances (gateway + subgraphs) on one Postgres and one Redis, as behind a
 * load balancer. logIn is limited to 10 per 5 minutes per (IP, email).
 */
let first: TestGraph;
let second: TestGraph;
beforeAll(async () => {
  // The operation-shape limits (aliases, root fields, tokens) are a separate defence; lift them so
  // that 50 aliases reach the rate limiter, which must hold on its own.
  // One deployment (one key prefix) behind a load balancer.
  const env = { MAX_ALIASES: '60', MAX_ROOT_FIELDS: '60', MAX_TOKENS: '3000', EVENT_CHANNEL_PREFIX: `tnx-test-${randomUUID()}:` };
  [first, second] = await Promise.all([startTestGraph(env), startTestGraph(env)]);
});
afterAll(async () => {
  await Promise.all([first?.close(), second?.close()]);
});

const logIn = (alias = 'logIn') =>
  `${alias}: logIn(input: { email: $email, password: "not the password" }) { accessToken }`;

const correctLogIn = (alias: string) =>
  `${alias}: logIn(input: { email: $email, password: $password }) { accessToken }`;

/** Sessions (refresh-token families) a user has: one per sign-up or sign-in that happened. */
async function sessionsOf(userId: string): Promise<number> {
  const db = new pg.Client({ connectionString: inject('databaseUrl') });
  await db.connect();
  try {
    const rows = await db.query('SELECT count(DISTINCT family_id)::int AS n FROM identity.refresh_tokens WHERE user_id = $1', [userId]);
    return rows.rows[0].n;
  } finally {
    await db.end();
  }
}

/** How many resolutions of logIn were let through (they fail for the password, not the limit). */
function admitted(responses: GraphQLResponse[]): number {
  return responses.flatMap(errorCodes).filter((code) => code === 'UNAUTHENTICATED').length;
}
function limited(responses: GraphQLResponse[]): number {
  return responses.flatMap(errorCodes).filter((code) => code === 'RATE_LIMITED').length;
}

describe('a limit of 10', () => {
  test('200 concurrent attempts spread over two gateways admit exactly 10', async () => {
    const email = `target-${unique()}@example.com`;
    const ip = randomIp();
    const clients = [new GraphQLClient(first.gateway.url).from(ip), new GraphQLClient(second.gateway.url).from(ip)];
    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, index) =>
        clients[index % 2]!.request(`mutation ($email: String!) { ${logIn()} }`, { email }),
      ),
    );
    expect(admitted(responses)).toBe(10);
    expect(limited(responses)).toBe(190);
  });

  // Mutation fields run one after another, and logIn cannot be null: the first refusal
  // ends the operation (data: null). What matters is how many sign-ins actually happened,
  // so these two count the sessions the user got.
  test('50 aliases of the field in one operation: exactly 10 resolve', async () => {
    const user = await signUpUser(first.client);
    const aliases = Array.from({ length: 50 }, (_, index) => correctLogIn(`a${index}`)).join('\n');
    const response = await first.client.request(`mutation ($email: String!, $password: String!) { ${aliases} }`, {
      email: user.email,
      password: user.password,
    });
    expect(errorCodes(response)).toEqual(['RATE_LIMITED']);
    expect(await sessionsOf(user.id)).toBe(1 + 10);
  });

  test('the field inside fragments, spread several times: every resolution counts', async () => {
    const user = await signUpUser(first.client);
    const fragment = (name: string, from: number) =>
      `fragment ${name} on Mutation { ${Array.from({ length: 5 }, (_, i) => correctLogIn(`${name}${from + i}`)).join(' ')} }`;
    const response = await first.client.request(
      `mutation ($email: String!, $password: String!) { ...A ...B ... on Mutation { ...C } }
       ${fragment('A', 0)} ${fragment('B', 5)} ${fragment('C', 10)}`,
      { email: user.email, password: user.password },
    );
    expect(errorCodes(response)).toEqual(['RATE_LIMITED']);
    expect(await sessionsOf(user.id)).toBe(1 + 10);
  });

  test('the field in 20 batched requests: exactly 10 resolve', async () => {
    const email = `batched-${unique()}@example.com`;
    const body = Array.from({ length: 20 }, () => ({
      query: `mutation ($email: String!) { ${logIn()} }`,
      variables: { email },
    }));
    const response = await fetch(first.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': randomIp() },
      body: JSON.stringify(body),
    });
    const results = (await response.json()) as GraphQLResponse[];
    expect(results).toHaveLength(20);
    expect(admitted(results)).toBe(10);
    expect(limited(results)).toBe(10);
  });
});

describe('a refused field', () => {
  test('is null with RATE_LIMITED and when to retry, the rest of the operation resolves, and headers say so', async () => {
    const user = await signUpUser(first.client);
    const ip = randomIp();
    const client = first.client.from(ip);
    for (let attempt = 0; attempt < 10; attempt++) {
      await client.request(`mutation ($email: String!) { ${logIn()} }`, { email: user.email });
    }
    const response = await client.as(user.accessToken).request(
      `query { me { id } }`,
    );
    expect(response.data!.me.id).toBe(user.id);
    const refused = await client.request(`mutation ($email: String!) { ${logIn()} }`, { email: user.email });
    const error = refused.errors![0]!;
    expect(error.extensions).toMatchObject({ code: 'RATE_LIMITED', rateLimit: { limit: 10, window: '5m' } });
    const retryAfter = error.extensions!.rateLimit.retryAfter as number;
    expect(retryAfter).toBeGreaterThanOrEqual(295);
    expect(retryAfter).toBeLessThanOrEqual(300);
    expect(refused.headers.get('retry-after')).toBe(String(retryAfter));
    expect(refused.headers.get('ratelimit-limit')).toBe('10');
    expect(refused.headers.get('ratelimit-remaining')).toBe('0');
    expect(refused.headers.get('ratelimit-policy')).toBe('10;w=300');
  });

  test('an allowed use reports what is left in the headers', async () => {
    const email = `headers-${unique()}@example.com`;
    const client = first.client.from(randomIp());
    await client.request(`mutation ($email: String!) { ${logIn()} }`, { email });
    const second = await client.request(`mutation ($email: String!) { ${logIn()} }`, { email });
    expect(second.headers.get('ratelimit-remaining')).toBe('8');
    expect(second.headers.get('retry-after')).toBeNull();
  });
});

describe('counters are kept apart', () => {
  test('per IP: one address\'s exhaustion leaves another free', async () => {
    const email = `per-ip-${unique()}@example.com`;
    const exhausted = first.client.from(randomIp());
    const fresh = first.client.from(randomIp());
    const burst = await Promise.all(
      Array.from({ length: 12 }, () => exhausted.request(`mutation ($email: String!) { ${logIn()} }`, { email })),
    );
    expect(limited(burst)).toBe(2);
    const other = await fresh.request(`mutation ($email: String!) { ${logIn()} }`, { email });
    expect(errorCodes(other)).toEqual(['UNAUTHENTICATED']);
  });

  test('per USER: one user\'s exhaustion leaves another free', async () => {
    const heavy = await signUpUser(first.client);
    const light = await signUpUser(first.client);
    const create = `mutation ($slug: String!) { createOrganization(input: { name: "Spam", slug: $slug }) { id } }`;
    const burst = await Promise.all(
      Array.from({ length: 103 }, () => heavy.client.request(create, { slug: `spam-${unique()}` })),
    );
    expect(burst.filter((response) => !response.errors).length).toBe(100);
    expect(limited(burst)).toBe(3);
    expect((await light.client.request(create, { slug: `calm-${unique()}` })).errors).toBeUndefined();
  });

  test('refusals are recorded as security events, folded so an attack cannot flood the trail', async () => {
    const email = `recorded-${unique()}@example.com`;
    const client = first.client.from(randomIp());
    await Promise.all(
      Array.from({ length: 40 }, () => client.request(`mutation ($email: String!) { ${logIn()} }`, { email })),
    );
    const db = new pg.Client({ connectionString: inject('databaseUrl') });
    await db.connect();
    try {
      // The recorder writes after answering; give it a moment.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const rows = await db.query(
        `SELECT severity, changes FROM audit.entries WHERE action = 'rate_limit.exceeded' AND changes->'after'->>'field' = 'Mutation.logIn' AND occurred_at > now() - interval '1 minute' AND client_ip = $1`,
        [/* the address the requests came from */ (client as unknown as { ip: string }).ip],
      );
      expect(rows.rows.length).toBe(1);
      expect(rows.rows[0].severity).toBe('WARNING');
      expect(rows.rows[0].changes.after).toMatchObject({ limit: 10, window: '5m', by: ['IP', 'ARG_email'] });
    } finally {
      await db.end();
    }
  });
});
