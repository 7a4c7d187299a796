import { createHash } from 'node:crypto';
import { DestinationRefusedError, checkDestination, createPinnedDispatcher, parseAllowList, type KeyVault } from '@token-nexus/shared';
import { request, type Dispatcher } from 'undici';
import { StepFailedError, type StepExecution, type StepExecutor } from '../../engine/step-execution.ts';
import type { StoredHeader } from '../../models.ts';
import { revealSecretHeader } from '../../providers/step-secrets.ts';
import { renderTemplate, renderValue } from '../expressions/render-template.ts';
import { reservedHeaderNames } from '../step-types.ts';

/** Sent as `user-agent`, so receivers and their firewalls can tell the platform's calls apart. */
export const workflowsUserAgent = 'TokenNexus-Workflows/1';

/** When the step sets no `timeoutMs`: for the whole call, resolution, redirects and the body read included. */
export const defaultHttpTimeoutMs = 10_000;

/** The most of a response body kept as the step's output; the rest is not read. */
export const responseBodyLimitBytes = 64 * 1024;

/** 307 and 308 hops followed (each checked by the SSRF guard) before the step fails. */
const maxRedirects = 3;

/** How much of a failed response's body its error shows. */
const errorExcerptChars = 200;

/** The httpRequest input as step-types.ts lets it be saved (secret header values sealed). */
interface HttpRequestInput {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  headers?: StoredHeader[];
  body?: string | Record<string, unknown> | unknown[];
  timeoutMs?: number;
}

/** The step's output on a 2xx: what later steps read as `steps.<key>.output`. */
export interface HttpRequestOutput {
  status: number;
  /** The response's content-type only: other headers are rarely needed and would bloat every run. */
  headers: { 'content-type'?: string };
  /** Parsed when the response is JSON (and whole), else the text. */
  body: unknown;
  /** True when the body was longer than 64 KB and cut there (a cut JSON body is kept as text). */
  truncated: boolean;
}

/**
 * The `Idempotency-Key` of a step's request: the same on every attempt of the step in a
 * run, so a receiver that honours it drops the duplicate a retry sends after a timeout or
 * a 5xx whose work was in fact done. A step runs at most once per run (the step graph has
 * no cycles), so run and step key name one logical request. Hashed so the run id is not
 * handed to third parties; 128 bits cannot collide in practice.
 */
export function idempotencyKeyOf(runId: string, stepKey: string): string {
  return `wf-${createHash('sha256').update(`${runId}:${stepKey}`, 'utf8').digest('hex').slice(0, 32)}`;
}

/**
 * Sends the step's request through the SSRF guard (as webhook delivery does: every address
 * checked against `deps.httpAllowList`, the connection pinned to the checked addresses)
 * with the url, plain header values and body rendered from the run's scope. Secret header
 * values are decrypted, never rendered: a token is literal text, and `{{` inside one must
 * not change it.
 *
 * Redirects are followed by hand only for 307 and 308 (same method and body), each hop
 * through the guard, at most 3; a hop to another origin leaves the secret headers and any
 * credentials behind, as browsers do. 301, 302 and 303 are not followed: clients turn a
 * POST into a GET on them, and one rule for every method is easier to predict; the error
 * tells the owner to use the final URL.
 *
 * Outcomes: 2xx is done; 408, 429, 5xx, a network error or the timeout are retried (with
 * the same `Idempotency-Key`); another 3xx or 4xx fails the run with code `HTTP_<status>`;
 * a destination the guard refuses fails it with `DESTINATION_REFUSED`. Stopped from outside
 * (`execution.signal`), the error is passed on as it is: the attempt was abandoned, not failed.
 */
export const runHttpRequest: StepExecutor = async (execution, deps) => {
  const { step } = execution;
  const input = step.input as unknown as HttpRequestInput;
  const timeoutMs = input.timeoutMs ?? defaultHttpTimeoutMs;
  const outgoing = buildRequest(execution, (header) => revealSecret(execution, header, deps.keys));
  const allowList = parseAllowList(deps.httpAllowList);
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = AbortSignal.any([execution.signal, deadline]);
  // One dispatcher per attempt: its connections are pinned to this attempt's checked
  // addresses, and destroying it leaves no socket behind, whatever the receiver did.
  const { dispatcher, pin } = createPinnedDispatcher();
  let url = outgoing.url;
  try {
    for (let redirects = 0; ; redirects++) {
      pin(await checkDestination(url, { allowList, signal }));
      const response = await request(url, { method: input.method, headers: outgoing.headers, body: outgoing.body, dispatcher, signal });
      const { statusCode } = response;
      if (statusCode >= 200 && statusCode <= 299) return { kind: 'done', output: await outputOf(response) };
      const excerpt = await errorExcerpt(response.body);
      const hop = redirects === 0 ? '' : ` (after ${redirects} redirect${redirects === 1 ? '' : 's'}, at ${url.origin})`;
      if (statusCode !== 307 && statusCode !== 308) throw statusFailure(step.key, statusCode, hop, excerpt);

      const location = firstHeader(response.headers.location);
      const next = location && URL.canParse(location, url.href) ? new URL(location, url) : null;
      if (!next) throw failure(step.key, `HTTP ${statusCode}${hop} without a valid Location header`, false, `HTTP_${statusCode}`);
      if (redirects >= maxRedirects) throw failure(step.key, `more than ${maxRedirects} redirects`, false, 'TOO_MANY_REDIRECTS');
      if (next.origin !== url.origin) outgoing.headers = withoutCredentials(outgoing.headers, outgoing.secretNames);
      url = next;
    }
  } catch (error) {
    if (execution.signal.aborted) throw error;
    if (error instanceof StepFailedError) throw error;
    if (error instanceof DestinationRefusedError) {
      const where = url === outgoing.url ? '' : ` (redirected to ${url.origin})`;
      throw failure(step.key, `the destination is refused${where}: ${error.message}`, false, 'DESTINATION_REFUSED');
    }
    if (deadline.aborted) throw failure(step.key, `no answer from ${url.origin} within ${timeoutMs} ms`, true, 'TIMEOUT');
    throw failure(step.key, `${url.origin} could not be reached: ${reasonOf(error)}`, true, 'UNREACHABLE');
  } finally {
    await dispatcher.destroy();
  }
};

interface OutgoingRequest {
  url: URL;
  headers: Record<string, string[]>;
  body: string | undefined;
  /** Lower-case names of the secret headers, left behind on a redirect to another origin. */
  secretNames: Set<string>;
}

/** What HTTP allows in a header value (undici's own rule): a rendered line break would end the header early. */
const headerValue = /^[\t\x20-\x7e\x80-\xff]*$/;

/** Headers HTTP or the platform sets; refused when a workflow is saved, and skipped here should one be stored. */
const reserved = new Set(reservedHeaderNames);

/** The rendered request; input that renders to something unsendable fails the run (a retry would render it again). */
function buildRequest({ step, run, scope }: StepExecution, reveal: (header: StoredHeader) => string): OutgoingRequest {
  const input = step.input as unknown as HttpRequestInput;
  const renderedUrl = renderTemplate(input.url, scope);
  if (!URL.canParse(renderedUrl)) {
    throw failure(step.key, `the url ${JSON.stringify(renderedUrl.slice(0, 200))} is not a URL once rendered`, false, 'BAD_USER_INPUT');
  }
  const headers: Record<string, string[]> = {};
  const secretNames = new Set<string>();
  for (const header of input.headers ?? []) {
    const name = header.name.toLowerCase();
    if (reserved.has(name)) continue;
    const value = header.secret ? reveal(header) : renderTemplate(header.value, scope);
    if (!headerValue.test(value)) {
      throw failure(step.key, `the header ${header.name} holds a line break or a character HTTP does not allow once rendered`, false, 'BAD_USER_INPUT');
    }
    if (header.secret) secretNames.add(name);
    (headers[name] ??= []).push(value);
  }

  let body: string | undefined;
  if (typeof input.body === 'string') {
    body = renderTemplate(input.body, scope);
    headers['content-type'] ??= ['text/plain; charset=utf-8'];
  } else if (input.body !== undefined) {
    body = JSON.stringify(renderValue(input.body, scope));
    headers['content-type'] ??= ['application/json'];
  }
  // Set last, over anything stored: receivers rely on both being ours.
  headers['idempotency-key'] = [idempotencyKeyOf(run.id, step.key)];
  headers['user-agent'] = [workflowsUserAgent];
  return { url: new URL(renderedUrl), headers, body, secretNames };
}

function revealSecret({ run, step }: StepExecution, header: StoredHeader, keys: KeyVault): string {
  try {
    return revealSecretHeader(keys, run.workflowId, step.key, header);
  } catch {
    // Another master key, or a ciphertext that was altered: no retry will decrypt it.
    throw failure(step.key, `the secret header ${header.name} cannot be decrypted; save the workflow with its value again`, false, 'SECRET_UNREADABLE');
  }
}

/** Headers that carry credentials by HTTP's own definition, besides the step's secret ones. */
const credentialHeaders = ['authorization', 'proxy-authorization', 'cookie'];

function withoutCredentials(headers: Record<string, string[]>, secretNames: Set<string>): Record<string, string[]> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !secretNames.has(name) && !credentialHeaders.includes(name)));
}

/** 408, 429 and 5xx may pass on their own (a retry is worth it); any other answer would be the same again. */
function statusFailure(stepKey: string, status: number, hop: string, excerpt: string): StepFailedError {
  const retryable = status === 408 || status === 429 || status >= 500;
  const advice = status >= 300 && status <= 399 ? ': only 307 and 308 redirects are followed; use the final URL' : '';
  return failure(stepKey, `HTTP ${status}${hop}${advice}${excerpt ? `: ${excerpt}` : ''}`, retryable, `HTTP_${status}`);
}

function failure(stepKey: string, message: string, retryable: boolean, code: string): StepFailedError {
  return new StepFailedError(`Step ${stepKey}: ${message}`, { retryable, code });
}

async function outputOf(response: Dispatcher.ResponseData): Promise<HttpRequestOutput> {
  const contentType = firstHeader(response.headers['content-type']);
  const { bytes, truncated } = await readLimited(response.body, responseBodyLimitBytes);
  // `stream: true` on a cut body holds back a character cut in half instead of showing U+FFFD.
  const text = new TextDecoder().decode(bytes, { stream: truncated });
  return {
    status: response.statusCode,
    headers: contentType === undefined ? {} : { 'content-type': contentType },
    body: !truncated && contentType !== undefined && isJson(contentType) ? parsedOrText(text) : text,
    truncated,
  };
}

/** `application/json`, `application/problem+json` and the like. */
function isJson(contentType: string): boolean {
  return /^[^;]*[/+]json\s*(;|$)/i.test(contentType);
}

function parsedOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * At most `limit` bytes of a body; the connection is dropped after that rather than
 * drained, so a receiver answering with megabytes costs one attempt nothing. A reset or the
 * deadline while reading is thrown: a 2xx whose body did not arrive is retried.
 */
async function readLimited(body: Dispatcher.ResponseData['body'], limit: number): Promise<{ bytes: Buffer; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      if (size + chunk.length > limit) {
        chunks.push(chunk.subarray(0, limit - size));
        return { bytes: Buffer.concat(chunks), truncated: true };
      }
      chunks.push(chunk);
      size += chunk.length;
    }
    return { bytes: Buffer.concat(chunks), truncated: false };
  } finally {
    body.destroy();
  }
}

/** The start of a failed response's body for its error, best effort: the status already decided the outcome. */
async function errorExcerpt(body: Dispatcher.ResponseData['body']): Promise<string> {
  try {
    const { bytes } = await readLimited(body, errorExcerptChars * 4);
    return new TextDecoder().decode(bytes, { stream: true }).replace(/\s+/g, ' ').trim().slice(0, errorExcerptChars);
  } catch {
    return '';
  }
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The system's code (ECONNREFUSED, ENOTFOUND, UND_ERR_SOCKET) when there is one: it says more than a message. */
function reasonOf(error: unknown): string {
  const { code, message, cause } = error as { code?: string; message?: string; cause?: { code?: string } };
  return cause?.code ?? code ?? message ?? String(error);
}
