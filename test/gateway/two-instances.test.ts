import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { errorCodes } from '../testkit/client.ts';
import { startTestGraph, type TestGraph } from '../testkit/graph.ts';
import { signUpUser } from '../testkit/seed.ts';

/**
 * Two complete deployments (gateway + subgraphs) on one Postgres and one Redis, as
 * behind a load balancer: whatever one instance decides, the other must honour.
 */
const prefix = `tnx-test-${randomUUID()}:`;
let first: TestGraph;
let second: TestGraph;
beforeAll(async () => {
  // One deployment: the same Redis key prefix.
  const env = { EVENT_CHANNEL_PREFIX: prefix };
  [first, second] = await Promise.all([startTestGraph(env), startTestGraph(env)]);
  // Each gateway checks sessions in its own copy of the ended ones, not in Redis.
  for (const graph of [first, second]) {
    await vi.waitFor(async () => expect((await readiness(graph)).sessions).toBe('mirrored'), { timeout: 10_000, interval: 50 });
  }
});
afterAll(async () => {
  await Promise.all([first?.close(), second?.close()]);
});

const me = '{ me { id } }';
const logOut = `mutation ($t: String!) { logOut(refreshToken: $t) }`;
const refresh = `mutation ($t: String!) { refreshSession(refreshToken: $t) { refreshToken } }`;

async function readiness(graph: TestGraph): Promise<{ sessions: string }> {
  return (await (await fetch(graph.gateway.url.replace('/graphql', '/health/ready'))).json()) as { sessions: string };
}

describe('with two instances behind a load balancer', () => {
  test('a token issued by one is accepted by the other', async () => {
    const user = await signUpUser(first.client);
    expect((await second.client.as(user.accessToken).data(me)).me.id).toBe(user.id);
  });

  test('logging out on one refuses the session\'s access token on the other at once', async () => {
    // Several times: the other learns of it from an announcement, which must always win
    // the race against the client's next request.
    for (let round = 0; round < 10; round++) {
      const user = await signUpUser(first.client);
      // The other has verified and remembered the token.
      expect((await second.client.as(user.accessToken).data(me)).me.id).toBe(user.id);
      await first.client.data(logOut, { t: user.refreshToken });
      const refused = await second.client.as(user.accessToken).request(me);
      expect(refused.status).toBe(401);
      expect(errorCodes(refused)).toEqual(['UNAUTHENTICATED']);
      expect(refused.errors![0]!.message).toMatch(/session has ended/);
    }
  });

  test('a refresh-token theft detected on one refuses the stolen session\'s access token on the other at once', async () => {
    const user = await signUpUser(first.client);
    expect((await second.client.as(user.accessToken).data(me)).me.id).toBe(user.id);
    await first.client.data(refresh, { t: user.refreshToken });
    // The spent token presented again: the whole session is revoked.
    expect(errorCodes(await first.client.request(refresh, { t: user.refreshToken }))).toEqual(['UNAUTHENTICATED']);
    const refused = await second.client.as(user.accessToken).request(me);
    expect(refused.status).toBe(401);
    expect(refused.errors![0]!.message).toMatch(/session has ended/);
  });

  test('a session ended before a gateway started is refused by it', async () => {
    const user = await signUpUser(first.client);
    await first.client.data(logOut, { t: user.refreshToken });
    const third = await startTestGraph({ EVENT_CHANNEL_PREFIX: prefix });
    try {
      await vi.waitFor(async () => expect((await readiness(third)).sessions).toBe('mirrored'), { timeout: 10_000, interval: 50 });
      const refused = await third.client.as(user.accessToken).request(me);
      expect(refused.status).toBe(401);
      expect(refused.errors![0]!.message).toMatch(/session has ended/);
    } finally {
      await third.close();
    }
  });

  test('a refresh token spent on one is detected as reused on the other', async () => {
    const user = await signUpUser(first.client);
    const rotated = await first.client.data(refresh, { t: user.refreshToken });
    expect(errorCodes(await second.client.request(refresh, { t: user.refreshToken }))).toEqual(['UNAUTHENTICATED']);
    expect(
      errorCodes(await first.client.request(refresh, { t: rotated.refreshSession.refreshToken })),
    ).toEqual(['UNAUTHENTICATED']);
  });
});
