import type { RunningGateway } from '@token-nexus/gateway';
import { fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startGatewayAlone } from '../testkit/gateway-alone.ts';
import { expectQueryMissing } from '../testkit/query-missing.ts';

let gateway: RunningGateway;
beforeAll(async () => {
  gateway = await startGatewayAlone();
});
afterAll(async () => {
  await gateway?.close();
});

describe('GET /graphql', () => {
  test('without a query, a client that is not a browser is told how to send one', async () => {
    await expectQueryMissing(await fetch(gateway.url));
    await expectQueryMissing(await fetch(gateway.url, { headers: { accept: 'application/json' } }));
  });

  test("with a query, it still runs, behind Apollo's CSRF prevention", async () => {
    const url = `${gateway.url}?query=${encodeURIComponent('{ __typename }')}`;
    const allowed = await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
    expect(await allowed.json()).toEqual({ data: { __typename: 'Query' } });
    const refused = await fetch(url);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toMatch(/Cross-Site Request Forgery/);
  });

  test('with a persisted query by its hash alone, it is not taken for a missing query', async () => {
    const extensions = JSON.stringify({ persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } });
    const response = await fetch(`${gateway.url}?extensions=${encodeURIComponent(extensions)}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]?.extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });
});
