import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { errorCodes } from '../testkit/client.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../testkit/fake-openai.ts';
import { startTestGraph, type TestGraph } from '../testkit/graph.ts';
import { startGraphProcess } from '../testkit/graph-process.ts';
import { createOrganization, signUpUser, type SignedUpUser } from '../testkit/seed.ts';
import { subscribeOverWebSocket, webSocketClient, type Received, type Subscription } from '../testkit/subscriptions.ts';
import { freePortsEnv } from '../testkit/free-ports.ts';

/**
 * Replies as a client follows them when it does not subscribe first: late, mid-stream,
 * after the end, resuming at an offset; and a reply whose writer is killed mid-stream.
 */
const prefix = `tnx-test-${randomUUID()}:`;
const leases = { AI_REPLY_LEASE_MS: '1000', AI_REPLY_SWEEP_INTERVAL_MS: '200' };
const reply = 'Tokens are issued per organization, deployed to one chain, and indexed as they move. '.repeat(3);
let fake: FakeOpenAi;
let graph: TestGraph;
let db: pg.Client;

beforeAll(async () => {
  fake = await startFakeOpenAi();
  graph = await startTestGraph({ AI_PROVIDER_BASE_URL: fake.url, AI_PROVIDER_API_KEY: 'sk-test', EVENT_CHANNEL_PREFIX: prefix, ...leases });
  db = new pg.Client({ connectionString: inject('databaseUrl') });
  await db.connect();
});
afterAll(async () => {
  await db?.end();
  await graph?.close();
  await fake?.close();
});

const streamSubscription = `subscription ($id: ID!, $messageId: ID, $offset: Int) {
  aiMessageStream(conversationId: $id, messageId: $messageId, offset: $offset) {
    messageId offset delta message { id status content failureReason }
  }
}`;
const send = `mutation ($id: ID!, $content: String!) { sendAiMessage(conversationId: $id, content: $content) { id status } }`;

async function conversationOf(user: SignedUpUser): Promise<string> {
  const organization = await createOrganization(user);
  const data = await user.client.data(`mutation ($input: CreateAiConversationInput!) { createAiConversation(input: $input) { id } }`, {
    input: { orgId: organization.id },
  });
  return data.createAiConversation.id;
}

type StreamEvent = { messageId: string; offset: number; delta: string; message: Record<string, any> | null };

/** A reply's events up to and including its final one, checking each piece starts where the last ended. */
async function readReply(subscription: Subscription, messageId: string, from = 0) {
  const pieces: StreamEvent[] = [];
  let position = from;
  for (;;) {
    const received: Received = await subscription.next(15_000);
    expect(received.errors).toBeUndefined();
    const event = received.data?.aiMessageStream as StreamEvent;
    if (event.messageId !== messageId) continue;
    expect(event.offset).toBe(position);
    if (event.message) return { pieces, text: pieces.map((piece) => piece.delta).join(''), message: event.message };
    pieces.push(event);
    position += event.delta.length;
  }
}

async function statusOf(messageId: string): Promise<string> {
  return (await db.query('SELECT status FROM ai.messages WHERE id = $1', [messageId])).rows[0].status;
}

async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('the condition never held');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function withSocket<T>(user: SignedUpUser, run: (subscribe: (variables: Record<string, unknown>) => Promise<Subscription>) => Promise<T>, url = graph.gateway.url) {
  const socket = webSocketClient(url, { token: user.accessToken });
  try {
    return await run((variables) => subscribeOverWebSocket(socket, streamSubscription, variables));
  } finally {
    await socket.dispose();
  }
}

describe('following a reply that began before the subscription', () => {
  test('subscribing right after sending (the natural order) still gets the reply from its first character', async () => {
    const user = await signUpUser(graph.client);
    const id = await conversationOf(user);
    fake.script({ reply, chunkSize: 6, delayMs: 15 });
    const sent = (await user.client.data(send, { id, content: 'Explain tokens.' })).sendAiMessage;
    const seen = await withSocket(user, async (subscribe) => readReply(await subscribe({ id }), sent.id));
    expect(seen.text).toBe(reply);
    expect(seen.message).toMatchObject({ status: 'COMPLETE', content: reply });
  });

  test('joining mid-stream: the first event holds the text so far, then live deltas, no gap, no repeat', async () => {
    const user = await signUpUser(graph.client);
    const id = await conversationOf(user);
    fake.script({ reply, chunkSize: 4, delayMs: 20 });
    const sent = (await user.client.data(send, { id, content: 'Explain tokens.' })).sendAiMessage;
    await new Promise((resolve) => setTimeout(resolve, 600));
    const seen = await withSocket(user, async (subscribe) => readReply(await subscribe({ id }), sent.id));
    expect(seen.pieces[0]!.offset).toBe(0);
    expect(seen.pieces[0]!.delta.length).toBeGreaterThan(4);
    expect(seen.text).toBe(reply);
  });

  test('subscribing with the messageId after the reply ended gets it whole, then its final event', async () => {
    const user = await signUpUser(graph.client);
    const id = await conversationOf(user);
    fake.script({ reply, chunkSize: 50 });
    const sent = (await user.client.data(send, { id, content: 'Explain tokens.' })).sendAiMessage;
    await until(async () => (await statusOf(sent.id)) === 'COMPLETE');
    const seen = await withSocket(user, async (subscribe) => readReply(await subscribe({ id, messageId: sent.id }), sent.id));
    expect(seen.pieces).toEqual([{ messageId: sent.id, offset: 0, delta: reply, message: null }]);
    expect(seen.message).toMatchObject({ id: sent.id, status: 'COMPLETE', content: reply });
  });

  test('resuming at an offset sends only what follows it, mid-stream and after the end', async () => {
    const user = await signUpUser(graph.client);
    const id = await conversationOf(user);
    fake.script({ reply, chunkSize: 4, delayMs: 20 });
    const sent = (await user.client.data(send, { id, content: 'Explain tokens.' })).sendAiMessage;
    await new Promise((resolve) => setTimeout(resolve, 400));
    const live = await withSocket(user, async (subscribe) => readReply(await subscribe({ id, messageId: sent.id, offset: 10 }), sent.id, 10));
    expect(live.text).toBe(reply.slice(10));
    const after = await withSocket(user, async (subscribe) => readReply(await subscribe({ id, messageId: sent.id, offset: 25 }), sent.id, 25));
    expect(after.text).toBe(reply.slice(25));
  });

  test('bad arguments are refused: an offset without its reply, a negative one, a reply of another conversation', async () => {
    const user = await signUpUser(graph.client);
    const [id, other] = [await conversationOf(user), await conversationOf(user)];
    fake.script({ reply: 'Short.' });
    const sent = (await user.client.data(send, { id: other, content: 'Hi.' })).sendAiMessage;
    const refusals = await withSocket(user, async (subscribe) =>
      Promise.all(
        [{ id, offset: 3 }, { id, messageId: sent.id, offset: -1 }, { id, messageId: sent.id }].map(async (variables) =>
          errorCodes((await (await subscribe(variables)).next(5_000)) as never),
        ),
      ),
    );
    expect(refusals).toEqual([['BAD_USER_INPUT'], ['BAD_USER_INPUT'], ['NOT_FOUND']]);
  });
});

describe('a reply whose writer dies', () => {
  test('killed with SIGKILL mid-stream, the reply is ended FAILED by another instance, keeping its text so far', async () => {
    const user = await signUpUser(graph.client);
    const id = await conversationOf(user);
    const doomed = await startGraphProcess({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: inject('databaseUrl'),
      REDIS_URL: inject('redisUrl'),
      EVENT_CHANNEL_PREFIX: prefix,
      ...freePortsEnv(),
      TOKENS_INDEXER_INTERVAL_MS: '3600000',
      WEBHOOK_DISPATCH_INTERVAL_MS: '3600000',
      MAIL_DIR: join(tmpdir(), `tnx-test-mail-${randomUUID()}`),
      AI_PROVIDER_BASE_URL: fake.url,
      AI_PROVIDER_API_KEY: 'sk-test',
      ...leases,
    });
    try {
      // The provider sends three pieces, then goes silent: the writer is mid-reply.
      fake.script({ reply, chunkSize: 5, stallAfterChunks: 4 });
      await withSocket(user, async (subscribe) => {
        const subscription = await subscribe({ id });
        const sent = (await user.client.withUrl(doomed.url).data(send, { id, content: 'Explain tokens.' })).sendAiMessage;
        const first = (await subscription.next(15_000)).data?.aiMessageStream as StreamEvent;
        expect(first).toMatchObject({ messageId: sent.id, offset: 0 });
        // Let a lease renewal store the text so far, then kill the writer.
        await new Promise((resolve) => setTimeout(resolve, 600));
        await doomed.kill();
        const killedAt = Date.now();
        const seen = await readReply(subscription, sent.id, first.delta.length);
        const waited = Date.now() - killedAt;
        const text = first.delta + seen.text;
        expect(seen.message).toMatchObject({ status: 'FAILED', content: text });
        expect(seen.message.failureReason).toMatch(/stopped before finishing/);
        expect(text.length).toBeGreaterThan(0);
        // Lease 1 s + a sweep every 0.2 s: ended well within 5 s of the kill.
        expect(waited).toBeLessThan(5_000);
      });
    } finally {
      await doomed.kill();
    }
  }, 90_000);
});
