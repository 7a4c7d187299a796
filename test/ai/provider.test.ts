import { performance } from 'node:perf_hooks';
import {
  ProviderError,
  createOpenAiCompatibleProvider,
  type ChatProvider,
  type ChatRequest,
  type ChatStreamEvent,
  type OpenAiCompatibleOptions,
} from '@token-nexus/ai/provider';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startFakeOpenAi, type FakeOpenAi } from '../testkit/fake-openai.ts';
import { closedPort } from '../testkit/ports.ts';

const apiKey = `sk-test-${Math.random().toString(36).slice(2)}${Date.now()}`;

let fake: FakeOpenAi;

beforeEach(async () => {
  fake = await startFakeOpenAi();
});

afterEach(async () => {
  await fake?.close();
});

/** A provider of the fake with fast retries; tests override what they exercise. */
function provider(options: Partial<OpenAiCompatibleOptions> = {}): ChatProvider {
  return createOpenAiCompatibleProvider({ baseUrl: fake.url, apiKey, retryBaseMs: 5, timeoutMs: 5_000, ...options });
}

function ask(question = 'Say hello', extra: Partial<ChatRequest> = {}): ChatRequest {
  return { model: 'gpt-test', messages: [{ role: 'user', content: question }], ...extra };
}

async function collect(stream: AsyncIterable<ChatStreamEvent>): Promise<ChatStreamEvent[]> {
  const events: ChatStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

/** Reads the stream to its failure: the events before it, and the error (null if none). */
async function collectUntilFailure(stream: AsyncIterable<ChatStreamEvent>): Promise<{ events: ChatStreamEvent[]; error: unknown }> {
  const events: ChatStreamEvent[] = [];
  try {
    for await (const event of stream) events.push(event);
  } catch (error) {
    return { events, error };
  }
  return { events, error: null };
}

function deltas(events: ChatStreamEvent[]): string[] {
  return events.flatMap((event) => (event.type === 'delta' ? [event.content] : []));
}

function expectProviderError(error: unknown, kind: ProviderError['kind'], retryable: boolean): ProviderError {
  expect(error).toBeInstanceOf(ProviderError);
  const failure = error as ProviderError;
  expect({ kind: failure.kind, retryable: failure.retryable, message: failure.message }).toMatchObject({ kind, retryable });
  return failure;
}

describe('streaming an answer', () => {
  test('text arrives as deltas in order that join to the whole reply, then done', async () => {
    const reply = 'Hello there! Tokens on chain 1337 look healthy — 🚀 all good.';
    fake.script({ reply, chunkSize: 3 });

    const events = await collect(provider().stream(ask('How are my tokens?', { temperature: 0.2 })));

    expect(deltas(events).length).toBeGreaterThan(5);
    expect(deltas(events).join('')).toBe(reply);
    expect(events.at(-1)).toMatchObject({ type: 'done', finishReason: 'stop' });
    expect(events.filter((event) => event.type === 'done')).toHaveLength(1);
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]!.path).toBe('/v1/chat/completions');
    expect(fake.requests[0]!.body).toMatchObject({
      model: 'gpt-test',
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.2,
      messages: [{ role: 'user', content: 'How are my tokens?' }],
    });
  });

  test('done reports the usage of the final chunk', async () => {
    fake.script({ reply: 'Fine.', usage: { prompt_tokens: 123, completion_tokens: 45 } });

    const events = await collect(provider().stream(ask()));

    expect(events.at(-1)).toEqual({ type: 'done', usage: { promptTokens: 123, completionTokens: 45 }, finishReason: 'stop' });
  });

  test('tool calls streamed in fragments arrive assembled, in order, after any text', async () => {
    fake.script({
      reply: 'Let me look.',
      toolCalls: [
        { name: 'token_balance', arguments: { token: 'NEX', holder: '0x52908400098527886E0F7030069857D2E4169EE7' } },
        { name: 'list_tokens', arguments: '{}' },
      ],
      chunkSize: 5,
    });
    const tools = [
      { name: 'token_balance', description: 'Balance of a holder', parameters: { type: 'object', properties: { token: { type: 'string' } } } },
      { name: 'list_tokens', description: 'Tokens of the organization', parameters: { type: 'object', properties: {} } },
    ];

    const events = await collect(provider().stream(ask('What is my NEX balance?', { tools })));

    expect(deltas(events).join('')).toBe('Let me look.');
    const toolEvents = events.filter((event) => event.type === 'tool_calls');
    expect(toolEvents).toHaveLength(1);
    const [balance, list] = (toolEvents[0] as Extract<ChatStreamEvent, { type: 'tool_calls' }>).calls;
    expect(balance).toMatchObject({ id: expect.stringMatching(/^call_/), name: 'token_balance' });
    expect(JSON.parse(balance!.arguments)).toEqual({ token: 'NEX', holder: '0x52908400098527886E0F7030069857D2E4169EE7' });
    expect(list).toMatchObject({ name: 'list_tokens', arguments: '{}' });
    expect(list!.id).not.toBe(balance!.id);
    expect(events.map((event) => event.type).slice(-2)).toEqual(['tool_calls', 'done']);
    expect(events.at(-1)).toMatchObject({ finishReason: 'tool_calls' });
    expect((fake.requests[0]!.body as { tools: unknown }).tools).toEqual(
      tools.map((tool) => ({ type: 'function', function: tool })),
    );
  });

  test('a conversation with tool calls and their results is sent as OpenAI expects', async () => {
    fake.script({ reply: 'You hold 12 NEX.' });

    await collect(
      provider().stream({
        model: 'gpt-test',
        messages: [
          { role: 'system', content: 'You are the Token Nexus assistant.' },
          { role: 'user', content: 'My NEX balance?' },
          { role: 'assistant', content: null, toolCalls: [{ id: 'call_1', name: 'token_balance', arguments: '{"token":"NEX"}' }] },
          { role: 'tool', toolCallId: 'call_1', content: '{"balance":"12"}' },
        ],
      }),
    );

    expect((fake.requests[0]!.body as { messages: unknown }).messages).toEqual([
      { role: 'system', content: 'You are the Token Nexus assistant.' },
      { role: 'user', content: 'My NEX balance?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'token_balance', arguments: '{"token":"NEX"}' } }],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '{"balance":"12"}' },
    ]);
  });
});

describe('retries before anything was yielded', () => {
  test('a 429 with retry-after is retried no sooner than the server asked', async () => {
    fake.script({ status: 429, retryAfterSeconds: 1 }, { reply: 'Now you may.' });

    const events = await collect(provider({ retryBaseMs: 1 }).stream(ask()));

    expect(deltas(events).join('')).toBe('Now you may.');
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[1]!.receivedAt - fake.requests[0]!.receivedAt).toBeGreaterThanOrEqual(1_000);
  });

  test('a 429 with retry-after-ms is retried no sooner than the server asked', async () => {
    fake.script({ status: 429, retryAfterMs: 400 }, { reply: 'Now you may.' });

    const events = await collect(provider({ retryBaseMs: 1 }).stream(ask()));

    expect(deltas(events).join('')).toBe('Now you may.');
    expect(fake.requests[1]!.receivedAt - fake.requests[0]!.receivedAt).toBeGreaterThanOrEqual(400);
  });

  test('a 500 is retried and the answer of the next attempt streams', async () => {
    fake.script({ status: 500 }, { reply: 'Recovered.' });

    const events = await collect(provider().stream(ask()));

    expect(deltas(events).join('')).toBe('Recovered.');
    expect(fake.requests).toHaveLength(2);
  });

  test('a server failing every time gives a server error after exactly maxAttempts requests', async () => {
    fake.script({ status: 500 }, { status: 502 }, { status: 503 }, { reply: 'too late' });

    const { events, error } = await collectUntilFailure(provider({ maxAttempts: 3 }).stream(ask()));

    expect(events).toEqual([]);
    const failure = expectProviderError(error, 'server', true);
    expect(failure.message).toContain('503');
    expect(fake.requests).toHaveLength(3);
    expect(fake.unconsumed()).toBe(1);
  });

  test('a stream cut before its first delta is retried', async () => {
    fake.script({ reply: 'lost', cutAfterChunks: 1 }, { reply: 'Second time lucky.' });

    const events = await collect(provider().stream(ask()));

    expect(deltas(events).join('')).toBe('Second time lucky.');
    expect(fake.requests).toHaveLength(2);
  });

  test('a server that never answers times out, each attempt within the timeout', async () => {
    fake.script({ hang: true }, { hang: true });
    const started = performance.now();

    const { error } = await collectUntilFailure(provider({ timeoutMs: 300, maxAttempts: 2 }).stream(ask()));

    expectProviderError(error, 'timeout', true);
    expect(fake.requests).toHaveLength(2);
    // Two attempts of 300 ms and a short backoff; far below any default timeout.
    expect(performance.now() - started).toBeGreaterThanOrEqual(600);
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  test('a server that cannot be reached fails as unreachable after maxAttempts', async () => {
    const { error } = await collectUntilFailure(
      createOpenAiCompatibleProvider({ baseUrl: `http://127.0.0.1:${await closedPort()}/v1`, apiKey, retryBaseMs: 5, maxAttempts: 2 }).stream(ask()),
    );

    const failure = expectProviderError(error, 'unreachable', true);
    expect(failure.message).toContain('ECONNREFUSED');
  });
});

describe('failures that are not retried', () => {
  test('a stream cut after a delta fails as broken_stream with no second request', async () => {
    fake.script({ reply: 'Hello there, friend', chunkSize: 4, cutAfterChunks: 3 }, { reply: 'must never be asked for' });

    const { events, error } = await collectUntilFailure(provider().stream(ask()));

    expect(deltas(events)).toEqual(['Hell', 'o th']);
    expectProviderError(error, 'broken_stream', false);
    expect(fake.requests).toHaveLength(1);
    expect(fake.unconsumed()).toBe(1);
  });

  test('a stream that goes silent after a delta fails as broken_stream after the idle timeout', async () => {
    fake.script({ reply: 'Hello there, friend', chunkSize: 4, stallAfterChunks: 2 }, { reply: 'must never be asked for' });
    const started = performance.now();

    const { events, error } = await collectUntilFailure(provider({ idleTimeoutMs: 200, timeoutMs: 20_000 }).stream(ask()));

    expect(deltas(events)).toEqual(['Hell']);
    const failure = expectProviderError(error, 'broken_stream', false);
    expect(failure.message).toContain('sent nothing for 200 ms');
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(fake.requests).toHaveLength(1);
  });

  test('an answer still streaming at the deadline fails as broken_stream, though no gap reached the idle timeout', async () => {
    // 40 chunks 100 ms apart: four seconds, against a 600 ms deadline and a 400 ms idle timeout.
    fake.script({ reply: 'z'.repeat(40), chunkSize: 1, delayMs: 100 }, { reply: 'must never be asked for' });

    const { events, error } = await collectUntilFailure(provider({ timeoutMs: 600, idleTimeoutMs: 400 }).stream(ask()));

    expect(deltas(events).length).toBeGreaterThan(2);
    const failure = expectProviderError(error, 'broken_stream', false);
    expect(failure.message).toContain('did not finish answering within 600 ms');
    expect(fake.requests).toHaveLength(1);
  });

  test('a 400 is refused with the server message and not retried', async () => {
    const said = "Invalid value for 'temperature': must be between 0 and 2.";
    fake.script({ status: 400, message: said }, { reply: 'must never be asked for' });

    const { error } = await collectUntilFailure(provider().stream(ask('hi', { temperature: 7 })));

    const failure = expectProviderError(error, 'refused', false);
    expect(failure.message).toContain(said);
    expect(fake.requests).toHaveLength(1);
  });
});

describe('cancellation', () => {
  test('aborting mid-stream rejects with an AbortError promptly', async () => {
    // 60 chunks 50 ms apart: three seconds if it were read to the end.
    fake.script({ reply: 'x'.repeat(120), chunkSize: 2, delayMs: 50 });
    const controller = new AbortController();
    const received: string[] = [];
    const started = performance.now();

    const reading = (async () => {
      for await (const event of provider().stream(ask('long', { signal: controller.signal }))) {
        if (event.type === 'delta') received.push(event.content);
        if (received.length === 2) controller.abort();
      }
    })();

    await expect(reading).rejects.toMatchObject({ name: 'AbortError' });
    expect(received).toHaveLength(2);
    expect(performance.now() - started).toBeLessThan(2_000);
    await until(() => fake.requests[0]!.closedByClient);
  });

  test('aborting during the wait for a retry ends it at once, without another request', async () => {
    fake.script({ status: 429, retryAfterSeconds: 30 }, { reply: 'must never be asked for' });
    const controller = new AbortController();
    const started = performance.now();
    setTimeout(() => controller.abort(), 200);

    const { error } = await collectUntilFailure(provider().stream(ask('hi', { signal: controller.signal })));

    expect(error).toMatchObject({ name: 'AbortError' });
    expect(error).not.toBeInstanceOf(ProviderError);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(fake.requests).toHaveLength(1);
  });

  test('a request whose signal is already aborted sends nothing', async () => {
    const { error } = await collectUntilFailure(provider().stream(ask('hi', { signal: AbortSignal.abort() })));

    expect(error).toMatchObject({ name: 'AbortError' });
    expect(fake.requests).toHaveLength(0);
  });

  test('leaving the loop early ends the request', async () => {
    // Five seconds if it were read to the end.
    fake.script({ reply: 'y'.repeat(200), chunkSize: 2, delayMs: 50 });

    for await (const event of provider().stream(ask())) {
      if (event.type === 'delta') break;
    }

    await until(() => fake.requests[0]!.closedByClient);
  });
});

describe('the API key', () => {
  test('is sent as a bearer token', async () => {
    fake.script({ reply: 'ok' });

    await collect(provider().stream(ask()));

    expect(fake.requests[0]!.headers.authorization).toBe(`Bearer ${apiKey}`);
  });

  test('never appears in an error, even when the server echoes it', async () => {
    fake.script(
      { status: 401, message: `Incorrect API key provided: ${apiKey}. You can find your API key at https://platform.openai.com.` },
      { status: 500, message: `upstream rejected key ${apiKey}` },
      { status: 500, message: `upstream rejected key ${apiKey}` },
      { hang: true },
      { reply: 'Hello there', chunkSize: 2, cutAfterChunks: 2 },
    );
    const errors = [
      (await collectUntilFailure(provider().stream(ask()))).error,
      (await collectUntilFailure(provider({ maxAttempts: 2 }).stream(ask()))).error,
      (await collectUntilFailure(provider({ maxAttempts: 1, timeoutMs: 200 }).stream(ask()))).error,
      (await collectUntilFailure(provider().stream(ask()))).error,
      (await collectUntilFailure(createOpenAiCompatibleProvider({ baseUrl: `http://127.0.0.1:${await closedPort()}/v1`, apiKey, maxAttempts: 1 }).stream(ask()))).error,
    ];

    expect(errors.map((error) => (error as ProviderError).kind)).toEqual(['refused', 'server', 'timeout', 'broken_stream', 'unreachable']);
    expect((errors[0] as Error).message).toContain('Incorrect API key provided: [redacted]');
    for (const error of errors) {
      expect(String(error)).not.toContain(apiKey);
      expect((error as Error).message).not.toContain(apiKey);
      expect((error as Error).stack ?? '').not.toContain(apiKey);
      // What a logger printing the error with its causes would show.
      for (let cause = (error as Error).cause; cause !== undefined; cause = (cause as Error).cause) {
        expect(String(cause)).not.toContain(apiKey);
      }
    }
  });

  test('without one, no Authorization header is sent, not even a key from the environment', async () => {
    fake.script({ reply: 'Local model here.' });
    const previous = process.env.OPENAI_API_KEY;
    process.env.OPENAI_API_KEY = 'sk-from-the-environment';
    try {
      const events = await collect(createOpenAiCompatibleProvider({ baseUrl: fake.url }).stream(ask()));
      expect(deltas(events).join('')).toBe('Local model here.');
    } finally {
      if (previous === undefined) delete process.env.OPENAI_API_KEY;
      else process.env.OPENAI_API_KEY = previous;
    }

    expect(fake.requests[0]!.headers.authorization).toBeUndefined();
  });
});

/** Resolves once `condition` holds; fails the test if it does not within two seconds. */
async function until(condition: () => boolean): Promise<void> {
  const deadline = performance.now() + 2_000;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error('condition not met within 2 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
