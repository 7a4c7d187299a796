import { performance } from 'node:perf_hooks';
import { SpanKind } from '@opentelemetry/api';
import {
  DestinationRefusedError,
  activeServiceTracer,
  checkDestination,
  createPinnedDispatcher,
  inSpan,
  parseAllowList,
  signPayload,
  type ResolveHost,
} from '@token-nexus/shared';
import { request, type Dispatcher } from 'undici';
import { parseRetryAfter } from './retry-schedule.ts';

/** Sent as `user-agent`, so receivers can tell our calls apart in their logs and firewalls. */
export const webhookUserAgent = 'TokenNexus-Webhooks/1';

/**
 * - `delivered`: the receiver answered 2xx in time.
 * - `gone`: it answered 410; the caller disables the endpoint instead of retrying.
 * - `refused`: the SSRF guard refused the URL or a redirect hop; retrying would be refused
 *   again, so the message is not retried (the endpoint's URL must change).
 * - `failed`: anything else; retry on the schedule.
 */
export type DeliveryOutcome = 'delivered' | 'failed' | 'gone' | 'refused';

export interface DeliveryResult {
  outcome: DeliveryOutcome;
  /** The status of the last response received (a redirect's, when its hop was refused), or null when none was. */
  statusCode: number | null;
  /** From the start of the call to its outcome: resolution, redirects and the body read included. */
  latencyMs: number;
  /** The start of the last response's body, at most `responseBodyLimit` bytes, decoded as UTF-8. */
  responseBody: string;
  /** What the last response's `Retry-After` asked for, in seconds, or null. */
  retryAfterSeconds: number | null;
  /** Why it was not delivered, for the endpoint's owner; null when delivered. */
  error: string | null;
}

export interface DeliverWebhookInput {
  url: string;
  /** The message id; the same on every attempt so receivers can drop duplicates. */
  id: string;
  /** Unix seconds of this attempt (the signature covers it, receivers reject stale ones). */
  timestamp: number;
  /** The exact JSON text to send and sign. */
  body: string;
  /** The endpoint's secrets (`whsec_…`), two during a rotation. */
  secrets: readonly string[];
  /** The operator's exceptions to the SSRF guard (see `parseAllowList`). */
  allowList: readonly string[];
  /** For the whole call: resolution, every redirect hop and the body read. */
  timeoutMs?: number;
  maxRedirects?: number;
  responseBodyLimit?: number;
  /** Replaces the system resolver; for tests that need a name to resolve to a chosen address. */
  resolveHost?: ResolveHost;
}

/**
 * Sends one attempt of a signed webhook and says how it went. Expected outcomes, failures
 * of the receiver included, are results, never exceptions: the caller records every
 * attempt.
 *
 * Redirects are followed by hand so that every hop goes through the guard. Only 307 and
 * 308 are followed, with the same body and headers: 301, 302 and 303 tell clients to turn a
 * POST into a GET, which would deliver nothing, so they fail with a reason the owner can
 * act on (point the endpoint at the final URL).
 *
 * @throws InvalidWebhookSecretError, InvalidAllowListEntryError or RangeError for a
 *   malformed secret, allow-list entry, id or option: our data or configuration is wrong,
 *   which no retry fixes and no receiver should be blamed for.
 */
export async function deliverWebhook(input: DeliverWebhookInput): Promise<DeliveryResult> {
  const tracer = activeServiceTracer();
  if (!tracer) return sendWebhook(input);
  // A client span in the delivery job's trace: the receiver's host only (a URL's path or
  // query may hold a token), the outcome and the status.
  const host = URL.canParse(input.url) ? new URL(input.url).host : 'invalid';
  return inSpan(tracer, 'webhook POST', { kind: SpanKind.CLIENT, attributes: { 'server.address': host, 'tnx.webhook.id': input.id } }, async (span) => {
    const result = await sendWebhook(input);
    span.setAttributes({ 'tnx.webhook.outcome': result.outcome, ...(result.statusCode ? { 'http.response.status_code': result.statusCode } : {}) });
    return result;
  });
}

async function sendWebhook(input: DeliverWebhookInput): Promise<DeliveryResult> {
  const { id, timestamp, body, timeoutMs = 15_000, maxRedirects = 3, responseBodyLimit = 2048 } = input;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new RangeError(`timeoutMs must be positive, not ${timeoutMs}`);
  if (!Number.isInteger(maxRedirects) || maxRedirects < 0) throw new RangeError(`maxRedirects must be an integer ≥ 0`);
  if (!Number.isInteger(responseBodyLimit) || responseBodyLimit < 0) {
    throw new RangeError(`responseBodyLimit must be an integer ≥ 0`);
  }
  const started = performance.now();
  const headers = {
    'content-type': 'application/json',
    'user-agent': webhookUserAgent,
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signPayload({ id, timestamp, body, secrets: input.secrets }),
  };
  const allowList = parseAllowList(input.allowList);

  let last: Pick<DeliveryResult, 'statusCode' | 'responseBody' | 'retryAfterSeconds'> = {
    statusCode: null,
    responseBody: '',
    retryAfterSeconds: null,
  };
  const finish = (outcome: DeliveryOutcome, error: string | null): DeliveryResult => ({
    outcome,
    ...last,
    latencyMs: Math.round(performance.now() - started),
    error,
  });

  let url: URL;
  try {
    url = new URL(input.url);
  } catch {
    return finish('refused', 'not a valid URL');
  }

  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), timeoutMs);
  // One dispatcher per call: its connections are pinned to this call's checked addresses,
  // and destroying it leaves no socket behind, whatever the receiver did.
  const { dispatcher, pin } = createPinnedDispatcher();
  try {
    for (let redirects = 0; ; redirects++) {
      const hop = redirects === 0 ? '' : `redirect to ${url.origin}: `;
      try {
        pin(await checkDestination(url, { allowList, resolveHost: input.resolveHost, signal: deadline.signal }));
      } catch (error) {
        if (error instanceof DestinationRefusedError) return finish('refused', `${hop}${error.message}`);
        if (deadline.signal.aborted) return finish('failed', `${hop}no answer within ${timeoutMs} ms`);
        return finish('failed', `${hop}could not resolve ${url.hostname}: ${reasonOf(error)}`);
      }

      let response: Dispatcher.ResponseData;
      try {
        response = await request(url, { method: 'POST', headers, body, dispatcher, signal: deadline.signal });
      } catch (error) {
        if (deadline.signal.aborted) return finish('failed', `${hop}no answer within ${timeoutMs} ms`);
        return finish('failed', `${hop}connection failed: ${reasonOf(error)}`);
      }
      const { statusCode } = response;
      last = {
        statusCode,
        responseBody: await readLimited(response.body, responseBodyLimit),
        retryAfterSeconds: parseRetryAfter(firstHeader(response.headers['retry-after'])),
      };

      if (statusCode >= 200 && statusCode <= 299) return finish('delivered', null);
      if (statusCode === 410) return finish('gone', `${hop}HTTP 410: the endpoint no longer accepts webhooks`);
      if (statusCode === 301 || statusCode === 302 || statusCode === 303) {
        return finish('failed', `${hop}HTTP ${statusCode}: redirect changes the method; use the final URL instead`);
      }
      if (statusCode !== 307 && statusCode !== 308) return finish('failed', `${hop}HTTP ${statusCode}`);

      const location = firstHeader(response.headers.location);
      if (!location) return finish('failed', `${hop}HTTP ${statusCode} without a Location header`);
      if (redirects >= maxRedirects) return finish('failed', `more than ${maxRedirects} redirects`);
      try {
        url = new URL(location, url);
      } catch {
        return finish('failed', `${hop}HTTP ${statusCode} to an invalid Location`);
      }
    }
  } finally {
    clearTimeout(timer);
    await dispatcher.destroy();
  }
}

/**
 * At most `limit` bytes of a response body; the connection is dropped after that rather
 * than drained, so a receiver answering with megabytes costs us nothing. A reset or the
 * deadline while reading keeps what arrived: the status has already decided the outcome.
 */
async function readLimited(body: Dispatcher.ResponseData['body'], limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    if (limit > 0) {
      for await (const chunk of body as AsyncIterable<Buffer>) {
        const kept = chunk.subarray(0, limit - size);
        chunks.push(kept);
        size += kept.length;
        if (size >= limit) break;
      }
    }
  } catch {
    // Kept what arrived (see above).
  } finally {
    body.destroy();
  }
  // `stream: true` holds back a character cut in half by the limit instead of showing U+FFFD.
  return new TextDecoder().decode(Buffer.concat(chunks), { stream: true });
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The system's code (ECONNREFUSED, ENOTFOUND, UND_ERR_SOCKET) when there is one: it says more than a message. */
function reasonOf(error: unknown): string {
  const { code, message, cause } = error as { code?: string; message?: string; cause?: { code?: string } };
  return cause?.code ?? code ?? message ?? String(error);
}
