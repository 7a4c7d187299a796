import OpenAI from 'openai';
import type { ChatCompletionChunk, ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import { abortableWait } from './abortable-wait.ts';
import type { ChatProvider, ChatRequest, ChatStreamEvent, Usage } from './chat-provider.ts';
import { completionParams } from './completion-params.ts';
import { ProviderError } from './provider-error.ts';
import { backoffDelay } from './retry-delay.ts';
import { attemptFailure, redactorOf, type AttemptFailure, type Redact } from './sdk-failure.ts';
import { ToolCallAssembler } from './tool-call-assembler.ts';

export interface OpenAiCompatibleOptions {
  /**
   * The API root, up to and including its version: `https://api.openai.com/v1`,
   * `http://localhost:11434/v1` (Ollama), `http://localhost:8000/v1` (vLLM),
   * `http://localhost:1234/v1` (LM Studio), `https://RESOURCE.openai.azure.com/openai/v1`
   * (Azure OpenAI's v1 API, which takes the key as a bearer token and the deployment name
   * as the model).
   */
  baseUrl: string;
  /** Sent as `Authorization: Bearer …`; without one no Authorization header is sent. */
  apiKey?: string;
  /** Longest time for one attempt, from sending the request to the last chunk; default 60 s. */
  timeoutMs?: number;
  /**
   * Longest silence between two chunks of a streaming answer (from the response headers
   * on); default 30 s, never more than `timeoutMs`.
   */
  idleTimeoutMs?: number;
  /** Attempts per request, the first included; default 4. */
  maxAttempts?: number;
  /** First backoff wait, doubled after each failed attempt; default 500 ms. */
  retryBaseMs?: number;
}

/**
 * A `ChatProvider` for any server speaking OpenAI's chat-completions API, through the
 * official SDK.
 *
 * Retries are ours alone (the SDK's are turned off, so their count and waits are what we
 * say): timeouts, 429s, 5xx, lost connections and errors reported inside the stream are
 * tried again with exponential backoff, or after the server's `retry-after` (capped at
 * 60 s) — but only while nothing has been yielded for the request. After the first
 * yielded event, any failure is a `ProviderError` of kind `'broken_stream'`, not
 * retryable: the caller has already shown part of the answer.
 *
 * Worst case before the last failure surfaces, with the defaults: 4 × 60 s of attempts
 * plus up to 3 × 60 s of waits asked for by the server.
 */
export function createOpenAiCompatibleProvider(options: OpenAiCompatibleOptions): ChatProvider {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const idleTimeoutMs = Math.min(options.idleTimeoutMs ?? 30_000, timeoutMs);
  const maxAttempts = Math.max(1, Math.floor(options.maxAttempts ?? 4));
  const retryBaseMs = options.retryBaseMs ?? 500;
  // The host only in messages: a base URL may carry a key in its query (some proxies).
  const host = new URL(options.baseUrl).host;
  const apiKey = options.apiKey || undefined;
  const redact = redactorOf(apiKey);

  const client = new OpenAI({
    baseURL: options.baseUrl,
    // The SDK refuses to start without a key; local servers need none. A placeholder
    // satisfies it and the null header below keeps it off the wire.
    apiKey: apiKey ?? 'no-key',
    ...(apiKey ? {} : { defaultHeaders: { Authorization: null } }),
    // Every setting explicit: the SDK would otherwise read OPENAI_ADMIN_KEY, OPENAI_ORG_ID,
    // OPENAI_PROJECT_ID and OPENAI_LOG from the environment, and send an admin key from
    // there to whatever server `baseUrl` names.
    adminAPIKey: null,
    organization: null,
    project: null,
    maxRetries: 0,
    timeout: timeoutMs,
    // Failures reach the caller as ProviderErrors; the SDK would also log some on its own.
    logLevel: 'off',
  });

  /** One HTTP request and the events read from its stream. */
  function openAttempt(params: ChatCompletionCreateParamsStreaming, callerSignal: AbortSignal | undefined) {
    const controller = new AbortController();
    const forwardAbort = () => controller.abort(callerSignal!.reason);
    callerSignal?.addEventListener('abort', forwardAbort, { once: true });
    // The SDK's own timeout stops at the response headers; this one covers the body too.
    const deadline = setTimeout(
      () => controller.abort(new ProviderError(`${host} did not finish answering within ${timeoutMs} ms`, 'timeout', true)),
      timeoutMs,
    );
    let idle: NodeJS.Timeout | undefined;
    let chunks: AsyncIterator<ChatCompletionChunk> | undefined;
    const toolCalls = new ToolCallAssembler();
    let usage: Usage | null = null;
    let finishReason: string | null = null;
    const ready: ChatStreamEvent[] = [];
    let finished = false;

    async function nextChunk(): Promise<IteratorResult<ChatCompletionChunk>> {
      try {
        chunks ??= (await client.chat.completions.create(params, { signal: controller.signal }))[Symbol.asyncIterator]();
        // Armed only while waiting on the server, not while the caller handles an event.
        idle = setTimeout(
          () => controller.abort(new ProviderError(`${host} sent nothing for ${idleTimeoutMs} ms`, 'timeout', true)),
          idleTimeoutMs,
        );
        const result = await chunks.next();
        // The SDK ends its iterator quietly when its request is aborted: here that is a failure.
        if (controller.signal.aborted) throw controller.signal.reason;
        return result;
      } catch (error) {
        throw controller.signal.aborted ? controller.signal.reason : error;
      } finally {
        clearTimeout(idle);
      }
    }

    return {
      /** The next event, or undefined once `done` has been returned. */
      async next(): Promise<ChatStreamEvent | undefined> {
        for (;;) {
          const event = ready.shift();
          if (event) return event;
          if (finished) return undefined;
          const result = await nextChunk();
          if (result.done) {
            // Every server we target sends a finish reason; a stream ending without one was
            // cut short by something that closed it cleanly (a proxy, a restart).
            if (finishReason === null) throw new ProviderError(`${host} ended its answer before finishing it`, 'broken_stream', true);
            const calls = toolCalls.finish();
            if (calls.length > 0) ready.push({ type: 'tool_calls', calls });
            ready.push({ type: 'done', usage, finishReason });
            finished = true;
            continue;
          }
          const chunk = result.value;
          if (chunk.usage) usage = { promptTokens: chunk.usage.prompt_tokens, completionTokens: chunk.usage.completion_tokens };
          // The usage chunk has no choices; we ask for one choice, so only the first counts.
          const choice = chunk.choices[0];
          if (!choice) continue;
          for (const fragment of choice.delta?.tool_calls ?? []) toolCalls.add(fragment);
          if (choice.finish_reason) finishReason = choice.finish_reason;
          if (choice.delta?.content) return { type: 'delta', content: choice.delta.content };
        }
      },
      close(): void {
        clearTimeout(deadline);
        clearTimeout(idle);
        callerSignal?.removeEventListener('abort', forwardAbort);
        // Ends the HTTP request when the caller stopped reading, or after a failure.
        controller.abort();
      },
    };
  }

  return {
    name: 'openai-compatible',

    async *stream(request: ChatRequest): AsyncGenerator<ChatStreamEvent> {
      const { signal } = request;
      signal?.throwIfAborted();
      const params = completionParams(request);
      let yielded = false;

      for (let attempt = 1; ; attempt += 1) {
        const exchange = openAttempt(params, signal);
        let failure: AttemptFailure | undefined;
        try {
          for (;;) {
            let event: ChatStreamEvent | undefined;
            try {
              event = await exchange.next();
            } catch (error) {
              if (signal?.aborted) throw signal.reason;
              failure = attemptFailure(error, host, redact);
              break;
            }
            if (event === undefined) return;
            yielded = true;
            // Outside the try above: an error thrown into the generator by its consumer is
            // theirs, not the server's.
            yield event;
          }
        } finally {
          exchange.close();
        }

        if (yielded) {
          throw new ProviderError(redact(`answer broken off after it began: ${failure.error.message}`), 'broken_stream', false, {
            cause: failure.error,
          });
        }
        if (!failure.error.retryable || attempt >= maxAttempts) throw finalError(failure.error, attempt, redact);
        await abortableWait(failure.requestedDelayMs ?? backoffDelay(attempt, retryBaseMs), signal);
      }
    },
  };
}

/** The last attempt's error, saying how many were made when there were several. */
function finalError(error: ProviderError, attempts: number, redact: Redact): ProviderError {
  if (attempts === 1) return error;
  return new ProviderError(redact(`${error.message} (gave up after ${attempts} attempts)`), error.kind, error.retryable, { cause: error });
}
