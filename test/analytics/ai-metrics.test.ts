import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { errorCodes } from '../testkit/client.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../testkit/fake-openai.ts';
import { addMember, createOrganization, signUpUser, type SignedUpUser } from '../testkit/seed.ts';
import { useTestGraphOnOwnDatabase } from '../testkit/use-test-graph.ts';
import { eventually, metricsOf, settled } from './analytics-kit.ts';

/**
 * ai.messages (audit trail: ai.message_sent), ai.tokens and ai.cost (the usage counters
 * from the provider's own token counts, priced per 1,000 tokens), from messages sent to
 * the assistant through the gateway, answered by a fake OpenAI-compatible provider. On a
 * database of its own: one test holds a lock that makes the ingester wait, which must not
 * hold up the ingestion of other files' graphs.
 */
let fake: FakeOpenAi;
beforeAll(async () => {
  fake = await startFakeOpenAi();
});
afterAll(async () => {
  await fake?.close();
});
const fixture = useTestGraphOnOwnDatabase(() => ({
  ANALYTICS_INGEST_INTERVAL_MS: '100',
  AI_PROVIDER_BASE_URL: fake.url,
  AI_PROVIDER_API_KEY: 'sk-platform-analytics-0123456789',
  AI_PROVIDER_MAX_ATTEMPTS: '1',
  AI_PROVIDER_TIMEOUT_MS: '5000',
  // USD per 1,000 prompt / completion tokens.
  AI_PRICE_PER_1K_PROMPT: '0.5',
  AI_PRICE_PER_1K_COMPLETION: '1.5',
}));

const send = `mutation ($id: ID!, $content: String!) { sendAiMessage(conversationId: $id, content: $content) { id status } }`;

async function conversation(user: SignedUpUser, orgId: string, model?: string): Promise<string> {
  const data = await user.client.data(`mutation ($input: CreateAiConversationInput!) { createAiConversation(input: $input) { id model } }`, {
    input: { orgId, title: 'Numbers', ...(model ? { model } : {}) },
  });
  return data.createAiConversation.id;
}

/** Sends a message and waits until its reply is no longer streaming; returns the reply's final status. */
async function ask(user: SignedUpUser, conversationId: string, content: string): Promise<string> {
  const reply = (await user.client.data(send, { id: conversationId, content })).sendAiMessage;
  const read = async () =>
    (await user.client.data(`query ($id: ID!) { aiConversation(id: $id) { messages { edges { node { id status } } } } }`, { id: conversationId }))
      .aiConversation.messages.edges.map(({ node }: any) => node)
      .find((node: { id: string }) => node.id === reply.id)?.status as string;
  return eventually(read, (status) => status !== 'STREAMING', 15_000);
}

describe('ai.messages, ai.tokens and ai.cost', () => {
  test("messages count in ai.messages; the provider's token counts in ai.tokens and their priced cost in ai.cost, by model", async () => {
    const owner = await signUpUser(fixture.graph.client);
    const organization = await createOrganization(owner);
    const member = await signUpUser(fixture.graph.client);
    await addMember(owner, organization.id, member, 'MEMBER');
    const metrics = metricsOf(owner.client, organization.id);
    const mini = await conversation(owner, organization.id);
    const large = await conversation(member, organization.id, 'gpt-4o');

    fake.script({ reply: 'First answer.', usage: { prompt_tokens: 42, completion_tokens: 9 } });
    expect(await ask(owner, mini, 'How many tokens do we have?')).toBe('COMPLETE');
    expect(await settled(() => metrics.value('ai.tokens'), 51)).toBe(51);
    // The same day's counter grows: only the growth counts.
    fake.script({ reply: 'Second answer.', usage: { prompt_tokens: 10, completion_tokens: 5 } });
    expect(await ask(owner, mini, 'And now?')).toBe('COMPLETE');
    fake.script({ reply: 'Third answer.', usage: { prompt_tokens: 100, completion_tokens: 20 } });
    expect(await ask(member, large, 'Summarize our pages.')).toBe('COMPLETE');

    const tokens = { 'gpt-4o-mini': 66, 'gpt-4o': 120 };
    expect(await settled(() => metrics.breakdown('ai.tokens', 'model'), tokens)).toEqual(tokens);
    expect(await metrics.value('ai.tokens')).toBe(186);
    // (42 × 0.5 + 9 × 1.5) / 1000 + (10 × 0.5 + 5 × 1.5) / 1000 and (100 × 0.5 + 20 × 1.5) / 1000 USD.
    expect(await metrics.breakdown('ai.cost', 'model')).toEqual({ 'gpt-4o-mini': 0.047, 'gpt-4o': 0.08 });
    expect(await metrics.summary('ai.cost')).toMatchObject({ value: 0.127, metric: { unit: 'USD', aggregation: 'SUM' } });
    expect(await settled(() => metrics.value('ai.messages'), 3)).toBe(3);
  });

  test('a message whose reply fails still counts as sent, but no tokens or cost; a refused message counts nothing', async () => {
    const owner = await signUpUser(fixture.graph.client);
    const organization = await createOrganization(owner);
    const metrics = metricsOf(owner.client, organization.id);
    const conversationId = await conversation(owner, organization.id);
    fake.script({ status: 400, message: 'This model does not exist.' });
    expect(await ask(owner, conversationId, 'Hello?')).toBe('FAILED');

    // Someone else's conversation does not exist for a stranger; a removed member may no longer use their own.
    const stranger = await signUpUser(fixture.graph.client);
    expect(errorCodes(await stranger.client.request(send, { id: conversationId, content: 'Let me in.' }))).toEqual(['NOT_FOUND']);
    const former = await signUpUser(fixture.graph.client);
    await addMember(owner, organization.id, former, 'MEMBER');
    const theirs = await conversation(former, organization.id);
    await owner.client.data(`mutation ($orgId: ID!, $userId: ID!) { removeMember(orgId: $orgId, userId: $userId) }`, {
      orgId: organization.id,
      userId: former.id,
    });
    expect(errorCodes(await former.client.request(send, { id: theirs, content: 'Still here?' }))).toEqual(['FORBIDDEN']);

    expect(await settled(() => metrics.value('ai.messages'), 1)).toBe(1);
    expect(await metrics.value('ai.tokens')).toBe(0);
    expect(await metrics.value('ai.cost')).toBe(0);
    expect(fake.unconsumed()).toBe(0);
  });

  test('usage recorded while a round is counting earlier usage still counts: none is lost between what a round reads and what it marks as seen', async () => {
    const owner = await signUpUser(fixture.graph.client);
    const organization = await createOrganization(owner);
    const metrics = metricsOf(owner.client, organization.id);
    const conversationId = await conversation(owner, organization.id);
    const usage = async () =>
      (await owner.client.data(`query ($orgId: ID!, $day: DateTime!) { aiUsage(orgId: $orgId, from: $day, to: $day) { promptTokens completionTokens } }`, {
        orgId: organization.id,
        day: new Date().toISOString(),
      })).aiUsage as { promptTokens: number; completionTokens: number }[];
    // A slow moment of the database, made to order: another session holds a SHARE lock on
    // analytics.gauge_levels, which lets every read through but makes the ingester's write
    // of the levels it has seen wait (as any lock, I/O stall or pause of the process could).
    const locker = new pg.Client({ connectionString: fixture.databaseUrl });
    const observer = new pg.Client({ connectionString: fixture.databaseUrl });
    await locker.connect();
    await observer.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE analytics.gauge_levels IN SHARE MODE');
      fake.script({ reply: 'First.', usage: { prompt_tokens: 42, completion_tokens: 9 } });
      expect(await ask(owner, conversationId, 'One')).toBe('COMPLETE');
      // The round that read those 51 tokens is now waiting to write what it has seen.
      const waiting = await eventually(
        async () =>
          (await observer.query(
            `SELECT count(*)::int AS n FROM pg_stat_activity
             WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%INSERT INTO analytics.gauge_levels%'`,
          )).rows[0].n as number,
        (n) => n > 0,
      );
      expect(waiting).toBe(1);
      fake.script({ reply: 'Second.', usage: { prompt_tokens: 10, completion_tokens: 5 } });
      expect(await ask(owner, conversationId, 'Two')).toBe('COMPLETE');
      expect(await eventually(usage, (rows) => rows[0]?.promptTokens === 52)).toEqual([{ promptTokens: 52, completionTokens: 14 }]);
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
      await observer.end();
    }
    expect(await settled(() => metrics.value('ai.tokens'), 66, 10_000)).toBe(66);
    expect(await metrics.value('ai.cost')).toBe(0.047);
  });
});
