import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { GraphQLClient, errorCodes, randomIp } from '../testkit/client.ts';
import { cmsOrganization, createPage, documentOf, hero } from '../testkit/cms-seed.ts';
import { startTestGraph, type TestGraph } from '../testkit/graph.ts';
import { startPrivateRedis, type PrivateRedis } from '../testkit/redis-server.ts';
import { createScratchDatabase, type ScratchDatabase } from '../testkit/scratch-database.ts';
import { signUpUser, unique } from '../testkit/seed.ts';
import { subscribeOverWebSocket, webSocketClient } from '../testkit/subscriptions.ts';

/**
 * Two deployments (staging and production, say) sharing one Redis, each with its own
 * EVENT_CHANNEL_PREFIX and its own database. A Redis of this file's own, so that every
 * key and channel in it can be listed and attributed.
 */
const prefixes = { staging: `tnx-staging-${randomUUID()}:`, production: `tnx-production-${randomUUID()}:` };
let redis: PrivateRedis;
let inspector: Redis;
let databases: ScratchDatabase[] = [];
let staging: TestGraph;
let production: TestGraph;

beforeAll(async () => {
  redis = await startPrivateRedis();
  inspector = new Redis(redis.url);
  databases = await Promise.all([createScratchDatabase(), createScratchDatabase()]);
  const graphOf = (prefix: string, database: ScratchDatabase) =>
    startTestGraph({ REDIS_URL: redis.url, EVENT_CHANNEL_PREFIX: prefix, DATABASE_URL: database.url }, { migrate: true });
  [staging, production] = await Promise.all([
    graphOf(prefixes.staging, databases[0]!),
    graphOf(prefixes.production, databases[1]!),
  ]);
}, 120_000);

afterAll(async () => {
  await Promise.all([staging?.close(), production?.close()]);
  inspector?.disconnect();
  await redis?.stop();
  await Promise.all(databases.map((database) => database.drop()));
});

const failedLogIn = `mutation ($email: String!) { logIn(input: { email: $email, password: "not the password" }) { accessToken } }`;

async function allKeys(): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await inspector.scan(cursor, 'COUNT', 1000);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('two deployments on one Redis', () => {
  test('a budget spent on one deployment leaves the other untouched', async () => {
    const email = `target-${unique()}@example.com`;
    const ip = randomIp();
    const onStaging = new GraphQLClient(staging.gateway.url).from(ip);
    const onProduction = new GraphQLClient(production.gateway.url).from(ip);
    // logIn allows 10 attempts per 5 minutes per (IP, email).
    for (let attempt = 0; attempt < 10; attempt++) {
      expect(errorCodes(await onStaging.request(failedLogIn, { email }))).toEqual(['UNAUTHENTICATED']);
    }
    expect(errorCodes(await onStaging.request(failedLogIn, { email }))).toEqual(['RATE_LIMITED']);
    expect(errorCodes(await onProduction.request(failedLogIn, { email }))).toEqual(['UNAUTHENTICATED']);
  });

  test("every key and channel a deployment writes carries its prefix: counters, ended sessions, presence, queues, events", async () => {
    const { owner, organization } = await cmsOrganization(staging.client);
    // A counter (the sign-ups and member additions above are limited) and an ended session.
    const leaving = await signUpUser(staging.client);
    await leaving.client.data(`mutation ($token: String!) { logOut(refreshToken: $token) }`, { token: leaving.refreshToken });
    // A page with a live editor: presence, and a subscription to the page's channel.
    const page = await createPage(owner.client, { orgId: organization.id, document: documentOf(hero('h1')) });
    const socket = webSocketClient(staging.gateway.url, { token: owner.accessToken });
    try {
      const session = await owner.client.data(`mutation ($pageId: ID!) { joinPageSession(pageId: $pageId) { id } }`, { pageId: page.id });
      const events = await subscribeOverWebSocket(socket, `subscription ($pageId: ID!, $sessionId: ID) {
        pageEvents(pageId: $pageId, sessionId: $sessionId) { __typename }
      }`, { pageId: page.id, sessionId: session.joinPageSession.id });
      // The invitation emails of cmsOrganization's members went to the job queues.
      const keys = await eventually(allKeys, (found) =>
        ['rl:', 'revoked-session:', 'presence:', 'jobs:'].every((part) => found.some((key) => key.startsWith(prefixes.staging + part))),
      );
      for (const part of ['rl:', 'revoked-session:', 'presence:', 'jobs:']) {
        expect(keys.some((key) => key.startsWith(prefixes.staging + part)), `a ${part} key`).toBe(true);
      }
      const channels = (await inspector.pubsub('CHANNELS', '*')) as string[];
      expect(channels.some((channel) => channel.startsWith(`${prefixes.staging}cms.page.`))).toBe(true);
      // Both deployments have been busy (the first test used production too); nothing is unprefixed.
      const strays = [...keys, ...channels].filter(
        (name) => !name.startsWith(prefixes.staging) && !name.startsWith(prefixes.production),
      );
      expect(strays).toEqual([]);
      expect(keys.some((key) => key.startsWith(prefixes.production))).toBe(true);
      events.unsubscribe();
    } finally {
      await socket.dispose();
    }
  });
});
