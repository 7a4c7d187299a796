import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

/** Token counts as OpenAI reports them (`total_tokens` is added by the fake). */
export interface FakeUsage {
  prompt_tokens: number;
  completion_tokens: number;
}

/** One tool call the fake model asks for; `arguments` is sent as written (objects as JSON). */
export interface FakeToolCall {
  name: string;
  arguments: string | Record<string, unknown>;
}

/**
 * A successful streamed answer: text, tool calls, or both (text first). The same
 * behaviour answers a request without `stream: true` with one `chat.completion` object.
 */
export interface FakeAnswer {
  reply?: string;
  toolCalls?: FakeToolCall[];
  /** Characters of text (or of tool-call arguments) per chunk; default 4. */
  chunkSize?: number;
  /** Pause before each chunk after the first; default 0. */
  delayMs?: number;
  /** Default: words of the request's messages and of the answer. */
  usage?: FakeUsage;
  /** Default `'tool_calls'` when there are tool calls, else `'stop'`. */
  finishReason?: string;
  /** Destroys the socket after this many chunks have been flushed (the answer's own chunks, from the role chunk on). */
  cutAfterChunks?: number;
  /** Sends this many chunks, then nothing more, keeping the connection open. */
  stallAfterChunks?: number;
}

/** An HTTP error with OpenAI's JSON body `{ error: { message, type, param, code } }`. */
export interface FakeFailure {
  status: number;
  /** Default: a message like OpenAI's for the status. */
  message?: string;
  /** Sent as `retry-after` (seconds). */
  retryAfterSeconds?: number;
  /** Sent as `retry-after-ms`, the header OpenAI sends besides `retry-after`. */
  retryAfterMs?: number;
}

/** Reads the request, then never answers (the connection stays open until `close()`). */
export interface FakeHang {
  hang: true;
}

export type FakeBehaviour = FakeAnswer | FakeFailure | FakeHang;

export interface RecordedRequest {
  method: string;
  /** Path and query, as sent. */
  path: string;
  /** Lower-case names, as Node gives them; `authorization` included. */
  headers: IncomingHttpHeaders;
  /** The parsed JSON body; the raw text when it was not JSON. */
  body: unknown;
  /** `performance.now()` when the request's body had arrived. */
  receivedAt: number;
  /** Set once the client closed the connection before the fake had finished answering (a hang included). */
  closedByClient: boolean;
}

export interface FakeOpenAi {
  /** Base URL for the SDK, ending in `/v1`. */
  url: string;
  /** Every request in arrival order, answered or not. */
  requests: RecordedRequest[];
  /** Queues behaviours; each chat-completions request consumes the next one. */
  script(...behaviours: FakeBehaviour[]): void;
  /** How many scripted behaviours no request has consumed yet. */
  unconsumed(): number;
  /** Ends every connection (hung ones included) and stops listening. */
  close(): Promise<void>;
}

/**
 * An OpenAI chat-completions endpoint of the test's own: a real HTTP server on 127.0.0.1
 * and a free port, answering `POST /v1/chat/completions` (and `/chat/completions`) the way
 * OpenAI does, close enough for the official SDK, streaming included:
 *
 * - `data: {json}\n\n` events of `chat.completion.chunk` objects: a first chunk with the
 *   role, text in `choices[0].delta.content`, tool calls in `choices[0].delta.tool_calls`
 *   split like OpenAI splits them (a chunk with `index`, `id`, `type` and `function.name`
 *   and empty arguments, then the arguments in pieces carrying only `index`), a chunk with
 *   the `finish_reason`, and when `stream_options.include_usage` is true a last chunk with
 *   `choices: []` and the usage (every earlier chunk then has `usage: null`); then
 *   `data: [DONE]`.
 * - Errors as JSON `{ error: { message, type, param, code } }` with OpenAI's types.
 *
 * A request that nothing was scripted for is answered 400 with a message saying so: an
 * unexpected request should fail loudly, and a 400 is not retried, so it is not hidden.
 */
export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  const queue: FakeBehaviour[] = [];
  const requests: RecordedRequest[] = [];
  // Responses whose connection the fake destroyed on purpose (`cutAfterChunks`).
  const cutByFake = new WeakSet<ServerResponse>();

  const server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => {
      // A bug in the fake itself: say so to the client rather than leave it hanging.
      if (!response.headersSent) sendError(response, 500, `fake-openai failed: ${String(error)}`);
      else response.destroy();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const text = await readBody(request);
    let body: unknown = text;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      // Recorded as text; answered below as OpenAI answers unparsable JSON.
    }
    const recorded: RecordedRequest = {
      method: request.method ?? '',
      path: request.url ?? '',
      headers: request.headers,
      body,
      receivedAt: performance.now(),
      closedByClient: false,
    };
    requests.push(recorded);
    response.once('close', () => {
      if (!response.writableFinished && !cutByFake.has(response)) recorded.closedByClient = true;
    });

    const path = new URL(request.url ?? '/', 'http://fake').pathname;
    if (path !== '/v1/chat/completions' && path !== '/chat/completions') {
      sendError(response, 404, `Invalid URL (${request.method} ${path})`);
      return;
    }
    if (request.method !== 'POST') {
      sendError(response, 405, `Invalid method for URL (${request.method} ${path})`);
      return;
    }
    const invalid = validate(body);
    if (invalid) {
      sendError(response, 400, invalid);
      return;
    }
    const completionRequest = body as CompletionRequest;

    const behaviour = queue.shift();
    if (!behaviour) {
      sendError(response, 400, `fake-openai: nothing scripted for request #${requests.length}`);
      return;
    }
    if ('hang' in behaviour) return;
    if ('status' in behaviour) {
      const headers: Record<string, string> = {};
      if (behaviour.retryAfterSeconds !== undefined) headers['retry-after'] = String(behaviour.retryAfterSeconds);
      if (behaviour.retryAfterMs !== undefined) headers['retry-after-ms'] = String(behaviour.retryAfterMs);
      sendError(response, behaviour.status, behaviour.message, headers);
      return;
    }
    if (completionRequest.stream === true) {
      await streamAnswer(response, completionRequest, behaviour, () => cutByFake.add(response));
    } else {
      sendJson(response, 200, completionObject(completionRequest, behaviour));
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    script: (...behaviours) => void queue.push(...behaviours),
    unconsumed: () => queue.length,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

interface CompletionRequest {
  model: string;
  messages: Array<{ role: string; content?: unknown }>;
  stream?: boolean;
  stream_options?: { include_usage?: boolean } | null;
}

/** The few checks OpenAI makes that a client of ours could get wrong. */
function validate(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) {
    return 'We could not parse the JSON body of your request. (HINT: This likely means you aren\'t using your HTTP library correctly.)';
  }
  const { model, messages, stream_options: streamOptions, stream } = body as Record<string, unknown>;
  if (typeof model !== 'string' || model === '') return "you must provide a model parameter";
  if (!Array.isArray(messages) || messages.length === 0) return "'messages' must contain at least one message";
  if (streamOptions != null && stream !== true) {
    return 'The \'stream_options\' parameter is only allowed when \'stream\' is enabled.';
  }
  return null;
}

const errorTypes: Record<number, { type: string; code: string | null; message: string }> = {
  400: { type: 'invalid_request_error', code: null, message: 'Invalid request.' },
  401: { type: 'invalid_request_error', code: 'invalid_api_key', message: 'Incorrect API key provided.' },
  403: { type: 'invalid_request_error', code: 'unsupported_country_region_territory', message: 'Country, region, or territory not supported' },
  404: { type: 'invalid_request_error', code: 'model_not_found', message: 'The model does not exist or you do not have access to it.' },
  429: { type: 'requests', code: 'rate_limit_exceeded', message: 'Rate limit reached for requests. Please try again later.' },
  500: { type: 'server_error', code: null, message: 'The server had an error while processing your request. Sorry about that!' },
  503: { type: 'server_error', code: null, message: 'The engine is currently overloaded, please try again later.' },
};

function sendError(response: ServerResponse, status: number, message?: string, headers: Record<string, string> = {}): void {
  const known = errorTypes[status] ?? { type: status >= 500 ? 'server_error' : 'invalid_request_error', code: null, message: `HTTP ${status}` };
  sendJson(response, status, { error: { message: message ?? known.message, type: known.type, param: null, code: known.code } }, headers);
}

function sendJson(response: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(value);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-request-id': `req_${randomBytes(8).toString('hex')}`,
    ...headers,
  });
  response.end(text);
}

async function streamAnswer(response: ServerResponse, request: CompletionRequest, answer: FakeAnswer, markCut: () => void): Promise<void> {
  const includeUsage = request.stream_options?.include_usage === true;
  const id = `chatcmpl-${randomBytes(12).toString('hex')}`;
  const created = Math.floor(Date.now() / 1000);
  const chunk = (choices: unknown[], usage?: unknown) => ({
    id,
    object: 'chat.completion.chunk',
    created,
    model: request.model,
    system_fingerprint: 'fp_fake',
    choices,
    ...(includeUsage ? { usage: usage ?? null } : {}),
  });
  const choice = (delta: Record<string, unknown>, finishReason: string | null = null) => ({
    index: 0,
    delta,
    logprobs: null,
    finish_reason: finishReason,
  });

  const chunks: unknown[] = [];
  const size = Math.max(1, answer.chunkSize ?? 4);
  const toolCalls = answer.toolCalls ?? [];
  // OpenAI's first chunk names the role; with only tool calls its content is null.
  chunks.push(chunk([choice({ role: 'assistant', content: answer.reply === undefined && toolCalls.length > 0 ? null : '', refusal: null })]));
  for (const piece of pieces(answer.reply ?? '', size)) chunks.push(chunk([choice({ content: piece })]));
  toolCalls.forEach((call, index) => {
    chunks.push(
      chunk([
        choice({
          tool_calls: [{ index, id: `call_${randomBytes(12).toString('hex')}`, type: 'function', function: { name: call.name, arguments: '' } }],
        }),
      ]),
    );
    for (const piece of pieces(argumentsText(call), size)) {
      chunks.push(chunk([choice({ tool_calls: [{ index, function: { arguments: piece } }] })]));
    }
  });
  chunks.push(chunk([choice({}, answer.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop'))]));
  if (includeUsage) chunks.push(chunk([], withTotal(answer.usage ?? countedUsage(request, answer))));

  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-request-id': `req_${randomBytes(8).toString('hex')}`,
  });
  response.flushHeaders();
  let clientGone = false;
  response.once('close', () => {
    clientGone = true;
  });

  for (const [index, value] of chunks.entries()) {
    if (clientGone) return;
    if (answer.cutAfterChunks === index) {
      markCut();
      response.socket?.destroy();
      return;
    }
    if (answer.stallAfterChunks === index) return;
    if (index > 0 && answer.delayMs) await sleep(answer.delayMs);
    if (clientGone) return;
    await write(response, `data: ${JSON.stringify(value)}\n\n`);
  }
  if (answer.cutAfterChunks === chunks.length) {
    markCut();
    response.socket?.destroy();
    return;
  }
  if (answer.stallAfterChunks === chunks.length) return;
  response.end('data: [DONE]\n\n');
}

function completionObject(request: CompletionRequest, answer: FakeAnswer): unknown {
  const toolCalls = (answer.toolCalls ?? []).map((call) => ({
    id: `call_${randomBytes(12).toString('hex')}`,
    type: 'function',
    function: { name: call.name, arguments: argumentsText(call) },
  }));
  return {
    id: `chatcmpl-${randomBytes(12).toString('hex')}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: request.model,
    system_fingerprint: 'fp_fake',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: answer.reply ?? null,
          refusal: null,
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        },
        logprobs: null,
        finish_reason: answer.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop'),
      },
    ],
    usage: withTotal(answer.usage ?? countedUsage(request, answer)),
  };
}

function argumentsText(call: FakeToolCall): string {
  return typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments);
}

/** Words stand in for tokens: enough for tests to tell one request's usage from another's. */
function countedUsage(request: CompletionRequest, answer: FakeAnswer): FakeUsage {
  const words = (text: string) => text.split(/\s+/).filter(Boolean).length;
  const prompt = request.messages.reduce((sum, message) => sum + (typeof message.content === 'string' ? words(message.content) : 0), 0);
  const completion =
    words(answer.reply ?? '') + (answer.toolCalls ?? []).reduce((sum, call) => sum + words(`${call.name} ${argumentsText(call)}`), 0);
  return { prompt_tokens: prompt, completion_tokens: completion };
}

function withTotal(usage: FakeUsage): FakeUsage & { total_tokens: number } {
  return { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens };
}

/** `text` in pieces of `size` characters, never splitting a character made of two UTF-16 units. */
function pieces(text: string, size: number): string[] {
  const characters = Array.from(text);
  const result: string[] = [];
  for (let start = 0; start < characters.length; start += size) result.push(characters.slice(start, start + size).join(''));
  return result;
}

/** Resolves once the data is handed to the socket, so a chunk written before a cut is really sent. */
function write(response: ServerResponse, data: string): Promise<void> {
  return new Promise((resolve) => {
    response.write(data, () => resolve());
  });
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    request.on('data', (part: Buffer) => parts.push(part));
    request.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    request.on('error', reject);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
