import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { errorCodes } from '../testkit/client.ts';
import { startTestGraph, type TestGraph } from '../testkit/graph.ts';
import { signUpUser } from '../testkit/seed.ts';

/**
 * Two complete deployments (gateway + subgraphs) on one Postgres and one Redis, as
 * behind a load balancer: whatever one instance decides, the other must honour.
 */
let first: TestGraph;
let second: TestGraph;
beforeAll(async () => {
  // One deployment: the same Redis key prefix.
  const env = { EVENT_CHANNEL_PREFIX: `tnx-test-${randomUUID()}:` };
  [first, second] = await Promise.all([startTestGraph(env), startTestGraph(env)]);
});
afterAll(async () => {
  await Promise.all([first?.close(), second?.close()]);
});

const me = '{ me { id } }';

describe('with two instances behind a load balancer', () => {
  test('a token issued by one is accepted by the other', async () => {
    const user = await signUpUser(first.client);
    expect((await second.client.as(user.accessToken).data(me)).me.id).toBe(user.id);
  });

  test('logging out on one refuses the session\'s access token on the other at once', async () => {
    const user = await signUpUser(first.client);
    expect((await second.client.as(user.accessToken).data(me)).me.id).toBe(user.id);
    await first.client.data(`mutation ($t: String!) { logOut(refreshToken: $t) }`, { t: user.refreshToken });
    const refused = await second.client.as(user.accessToken).request(me);
    expect(refused.status).toBe(401);
    expect(errorCodes(refused)).toEqual(['UNAUTHENTICATED']);
  });

  test('a refresh token spent on one is detected as reused on the other', async () => {
    const user = await signUpUser(first.client);
    const refresh = `mutation ($t: String!) { refreshSession(refreshToken: $t) { refreshToken } }`;
    const rotated = await first.client.data(refresh, { t: user.refreshToken });
    expect(errorCodes(await second.client.request(refresh, { t: user.refreshToken }))).toEqual(['UNAUTHENTICATED']);
    expect(
      errorCodes(await first.client.request(refresh, { t: rotated.refreshSession.refreshToken })),
    ).toEqual(['UNAUTHENTICATED']);
  });
});
