import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { errorCodes } from '../testkit/client.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../testkit/fake-openai.ts';
import { startTestGraph, type TestGraph } from '../testkit/graph.ts';
import { createOrganization, signUpUser, type SignedUpUser } from '../testkit/seed.ts';
import { subscribeOverWebSocket, webSocketClient, type Subscription } from '../testkit/subscriptions.ts';
import { addChain, createToken, systemAdmin } from '../testkit/tokens-seed.ts';

const platformKey = 'sk-platform-secret-0123456789abcdef';
let fake: FakeOpenAi;
let graph: TestGraph;
let db: pg.Client;
beforeAll(async () => {
  fake = await startFakeOpenAi();
  graph = await startTestGraph({
    AI_PROVIDER_BASE_URL: fake.url,
    AI_PROVIDER_API_KEY: platformKey,
    AI_PROVIDER_MAX_ATTEMPTS: '3',
    AI_PROVIDER_RETRY_BASE_MS: '50',
    AI_PROVIDER_TIMEOUT_MS: '5000',
    AI_PROVIDER_IDLE_TIMEOUT_MS: '2000',
  });
  db = new pg.Client({ connectionString: inject('databaseUrl') });
  await db.connect();
});
afterAll(async () => {
  await db?.end();
  await graph?.close();
  await fake?.close();
});

const streamSubscription = `subscription ($id: ID!) {
  aiMessageStream(conversationId: $id) { messageId delta message { id status content promptTokens completionTokens failureReason } }
}`;
const send = `mutation ($id: ID!, $content: String!) { sendAiMessage(conversationId: $id, content: $content) { id status role } }`;

async function conversationOf(user: SignedUpUser, orgId: string): Promise<string> {
  const data = await user.client.data(`mutation ($input: CreateAiConversationInput!) { createAiConversation(input: $input) { id model } }`, {
    input: { orgId, title: 'Planning' },
  });
  return data.createAiConversation.id;
}

/** Reads a reply's events until its final one; returns the deltas and the final message. */
async function untilFinal(subscription: Subscription, messageId: string) {
  const deltas: string[] = [];
  for (;;) {
    const event = (await subscription.next(10_000)).data?.aiMessageStream;
    if (!event || event.messageId !== messageId) continue;
    if (event.message) return { deltas, message: event.message };
    deltas.push(event.delta);
  }
}

async function withStream<T>(user: SignedUpUser, conversationId: string, run: (subscription: Subscription) => Promise<T>): Promise<T> {
  const socket = webSocketClient(graph.gateway.url, { token: user.accessToken });
  try {
    return await run(await subscribeOverWebSocket(socket, streamSubscription, { id: conversationId }));
  } finally {
    await socket.dispose();
  }
}

describe('the assistant through the gateway', () => {
  test('a reply streams delta by delta, in order, and joins to the stored message with exact usage', async () => {
    const user = await signUpUser(graph.client);
    const organization = await createOrganization(user);
    const conversationId = await conversationOf(user, organization.id);
    fake.script({ reply: 'Tokens are issued per organization on a chain.', chunkSize: 5, delayMs: 20, usage: { prompt_tokens: 42, completion_tokens: 9 } });
    const { deltas, message } = await withStream(user, conversationId, async (subscription) => {
      const sent = (await user.client.data(send, { id: conversationId, content: 'How do tokens work?' })).sendAiMessage;
      expect(sent).toMatchObject({ status: 'STREAMING', role: 'ASSISTANT' });
      return untilFinal(subscription, sent.id);
    });
    expect(deltas.length).toBeGreaterThan(5);
    expect(deltas.join('')).toBe('Tokens are issued per organization on a chain.');
    expect(message).toMatchObject({ status: 'COMPLETE', content: deltas.join(''), promptTokens: 42, completionTokens: 9 });
    const usage = await db.query('SELECT prompt_tokens, completion_tokens, requests FROM ai.usage WHERE organization_id = $1', [organization.id]);
    expect(usage.rows).toEqual([{ prompt_tokens: 42, completion_tokens: 9, requests: 1 }]);
    const request = fake.requests.at(-1)!;
    expect(request.headers.authorization).toBe(`Bearer ${platformKey}`);
    // The trail knows a message was sent, never what it said.
    const trail = await db.query(`SELECT action, changes::text AS changes FROM audit.entries WHERE organization_id = $1 AND action LIKE 'ai.%'`, [organization.id]);
    expect(trail.rows.map((row) => row.action).sort()).toEqual(['ai.conversation_created', 'ai.message_sent']);
    expect(trail.rows.map((row) => row.changes).join('')).not.toContain('How do tokens work');
    const usageSeen = await user.client.data(`query ($orgId: ID!, $day: DateTime!) { aiUsage(orgId: $orgId, from: $day, to: $day) { model promptTokens completionTokens requests } }`, {
      orgId: organization.id,
      day: new Date().toISOString(),
    });
    expect(usageSeen.aiUsage).toEqual([{ model: 'gpt-4o-mini', promptTokens: 42, completionTokens: 9, requests: 1 }]);
    expect((request.body as { stream_options?: unknown }).stream_options).toEqual({ include_usage: true });
  });

  test('cancelling mid-stream stops the reply with what was written so far', async () => {
    const user = await signUpUser(graph.client);
    const organization = await createOrganization(user);
    const conversationId = await conversationOf(user, organization.id);
    fake.script({ reply: 'word '.repeat(200), chunkSize: 5, delayMs: 50 });
    const message = await withStream(user, conversationId, async (subscription) => {
      const sent = (await user.client.data(send, { id: conversationId, content: 'Write a lot.' })).sendAiMessage;
      await subscription.next(10_000);
      const cancelled = await user.client.data(`mutation ($id: ID!) { cancelAiMessage(id: $id) { status content } }`, { id: sent.id });
      expect(cancelled.cancelAiMessage.status).toBe('CANCELLED');
      return (await untilFinal(subscription, sent.id)).message;
    });
    expect(message.status).toBe('CANCELLED');
    expect(message.content.length).toBeGreaterThan(0);
    expect(message.content.length).toBeLessThan('word '.repeat(200).length);
  });

  test("a tool call reads the user's own organization's tokens, and only those", async () => {
    const admin = await systemAdmin(graph.client);
    await addChain(admin, { chainId: 424_242, rpcUrl: 'http://127.0.0.1:9/' }).catch(() => undefined);
    const user = await signUpUser(graph.client);
    const mine = await createOrganization(user);
    const other = await signUpUser(graph.client);
    const theirs = await createOrganization(other);
    await createToken(user.client, { orgId: mine.id, chainId: 424_242, symbol: 'MINE' });
    await createToken(other.client, { orgId: theirs.id, chainId: 424_242, symbol: 'THEIRS' });
    const conversationId = await conversationOf(user, mine.id);
    fake.script({ toolCalls: [{ name: 'list_tokens', arguments: { limit: 10 } }] }, { reply: 'You have one token, MINE.' });
    const { message } = await withStream(user, conversationId, async (subscription) => {
      const sent = (await user.client.data(send, { id: conversationId, content: 'Which tokens do we have?' })).sendAiMessage;
      return untilFinal(subscription, sent.id);
    });
    expect(message).toMatchObject({ status: 'COMPLETE', content: 'You have one token, MINE.' });
    const secondRequest = fake.requests.at(-1)!.body as { messages: { role: string; content: string | null }[] };
    const toolResult = secondRequest.messages.find((entry) => entry.role === 'tool')!.content!;
    expect(toolResult).toContain('"symbol":"MINE"');
    expect(toolResult).not.toContain('THEIRS');
    const stored = await user.client.data(`query ($id: ID!) { aiConversation(id: $id) { messages { edges { node { role toolName content } } } } }`, {
      id: conversationId,
    });
    expect(stored.aiConversation.messages.edges.map(({ node }: any) => [node.role, node.toolName])).toEqual([
      ['USER', null],
      ['ASSISTANT', null],
      ['ASSISTANT', null],
      ['TOOL', 'list_tokens'],
    ]);
  });

  test('the monthly quota stops new messages with QUOTA_EXCEEDED once spent', async () => {
    const user = await signUpUser(graph.client);
    const organization = await createOrganization(user);
    await user.client.data(`mutation ($orgId: ID!) { updateAiSettings(orgId: $orgId, input: { monthlyTokenQuota: 50 }) { monthlyTokenQuota } }`, {
      orgId: organization.id,
    });
    const conversationId = await conversationOf(user, organization.id);
    fake.script({ reply: 'Sure.', usage: { prompt_tokens: 40, completion_tokens: 20 } });
    await withStream(user, conversationId, async (subscription) => {
      const sent = (await user.client.data(send, { id: conversationId, content: 'Hello' })).sendAiMessage;
      await untilFinal(subscription, sent.id);
    });
    const refused = await user.client.request(send, { id: conversationId, content: 'Again' });
    expect(errorCodes(refused)).toEqual(['QUOTA_EXCEEDED']);
    const settings = await user.client.data(`query ($orgId: ID!) { aiSettings(orgId: $orgId) { tokensUsedThisMonth monthlyTokenQuota } }`, {
      orgId: organization.id,
    });
    expect(settings.aiSettings).toEqual({ tokensUsedThisMonth: 60, monthlyTokenQuota: 50 });
  });

  test('a provider that keeps failing ends the reply FAILED with a reason, and the conversation goes on', async () => {
    const user = await signUpUser(graph.client);
    const organization = await createOrganization(user);
    const conversationId = await conversationOf(user, organization.id);
    fake.script({ status: 500 }, { status: 500 }, { status: 500 }, { reply: 'Back again.' }, { reply: 'This one breaks off', chunkSize: 3, cutAfterChunks: 4 });
    await withStream(user, conversationId, async (subscription) => {
      const failed = (await user.client.data(send, { id: conversationId, content: 'Hello?' })).sendAiMessage;
      const { message } = await untilFinal(subscription, failed.id);
      expect(message.status).toBe('FAILED');
      expect(message.failureReason).toMatch(/AI provider/);
      expect(message.failureReason).not.toContain(platformKey);
      const next = (await user.client.data(send, { id: conversationId, content: 'Now?' })).sendAiMessage;
      expect((await untilFinal(subscription, next.id)).message).toMatchObject({ status: 'COMPLETE', content: 'Back again.' });
      // A stream that breaks after text has been shown is not retried (the text would repeat).
      const broken = (await user.client.data(send, { id: conversationId, content: 'And now?' })).sendAiMessage;
      const cut = (await untilFinal(subscription, broken.id)).message;
      expect(cut.status).toBe('FAILED');
      expect(cut.failureReason).toMatch(/broke off/);
    });
  });

  test("another user's conversation does not exist for you, and provider keys are never shown", async () => {
    const owner = await signUpUser(graph.client);
    const organization = await createOrganization(owner);
    const conversationId = await conversationOf(owner, organization.id);
    const stranger = await signUpUser(graph.client);
    expect(errorCodes(await stranger.client.request(send, { id: conversationId, content: 'Hi' }))).toEqual(['NOT_FOUND']);
    const read = await stranger.client.request(`query ($id: ID!) { aiConversation(id: $id) { id } }`, { id: conversationId });
    expect(read.data?.aiConversation).toBeNull();
    const organizationKey = 'sk-org-secret-abcdef0123456789';
    const updated = await owner.client.request(
      `mutation ($orgId: ID!, $key: String!) { updateAiSettings(orgId: $orgId, input: { apiKey: $key }) { hasApiKey baseUrl } }`,
      { orgId: organization.id, key: organizationKey },
    );
    expect(updated.data?.updateAiSettings).toEqual({ hasApiKey: true, baseUrl: null });
    expect(JSON.stringify(updated)).not.toContain(organizationKey);
    const stored = await db.query('SELECT encrypted_api_key FROM ai.settings WHERE organization_id = $1', [organization.id]);
    expect(stored.rows[0].encrypted_api_key).toMatch(/^v1:/);
    const trail = await db.query('SELECT changes::text AS changes FROM audit.entries WHERE organization_id = $1', [organization.id]);
    expect(trail.rows.map((row) => row.changes).join('')).not.toContain(organizationKey);
  });
});

describe('without a provider', () => {
  test('sending fails with NOT_CONFIGURED saying how to set one up, and nothing is stored', async () => {
    const bare = await startTestGraph();
    try {
      const user = await signUpUser(bare.client);
      const organization = await createOrganization(user);
      const conversation = await user.client.withUrl(bare.gateway.url).data(
        `mutation ($input: CreateAiConversationInput!) { createAiConversation(input: $input) { id } }`,
        { input: { orgId: organization.id } },
      );
      const id = conversation.createAiConversation.id;
      const refused = await user.client.withUrl(bare.gateway.url).request(send, { id, content: 'Hello' });
      expect(errorCodes(refused)).toEqual(['NOT_CONFIGURED']);
      expect(refused.errors?.[0]?.message).toMatch(/AI_PROVIDER_BASE_URL/);
      expect(refused.errors?.[0]?.message).toMatch(/Ollama/);
      const messages = await db.query('SELECT count(*)::int AS n FROM ai.messages WHERE conversation_id = $1', [id]);
      expect(messages.rows[0].n).toBe(0);
    } finally {
      await bare.close();
    }
  });
});
