import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import { ProviderError } from './provider-error.ts';
import { requestedRetryDelay } from './retry-delay.ts';

/** A failed attempt: the error to surface, and the wait the server asked for before another. */
export interface AttemptFailure {
  error: ProviderError;
  /** From `retry-after-ms` / `retry-after`, capped; null when the server asked for none. */
  requestedDelayMs: number | null;
}

/**
 * Hides a secret in text we produce. Servers should not echo API keys, but a proxy's error
 * page or a misconfigured server may: the key must not travel on into our errors and logs.
 */
export type Redact = (text: string) => string;

export function redactorOf(secret: string | undefined): Redact {
  if (!secret) return (text) => text;
  return (text) => text.split(secret).join('[redacted]');
}

/**
 * Reads one failed attempt, made to `host`, as a `ProviderError`. The SDK's error becomes the
 * cause, unless its own message or body holds the secret (`redact` would change it): a
 * logger printing causes must not print the key.
 */
export function attemptFailure(error: unknown, host: string, redact: Redact): AttemptFailure {
  if (error instanceof ProviderError) return { error, requestedDelayMs: null };
  const cause = carriesSecret(error, redact) ? undefined : error;
  const fail = (message: string, kind: ProviderError['kind'], retryable: boolean, requestedDelayMs: number | null = null) => ({
    error: new ProviderError(redact(message), kind, retryable, { cause }),
    requestedDelayMs,
  });

  // Timeout before APIConnectionError: it is a subclass.
  if (error instanceof APIConnectionTimeoutError) return fail(`${host} did not answer in time`, 'timeout', true);
  if (error instanceof APIConnectionError) return fail(`${host} unreachable: ${networkReason(error)}`, 'unreachable', true);
  if (error instanceof APIError) {
    const said = serverMessage(error);
    const status = error.status;
    if (status === undefined) {
      // `{"error": …}` sent inside a 200 stream (OpenAI does this for overload mid-answer).
      return fail(`${host} reported an error in the stream: ${said}`, 'server', true);
    }
    const requested = requestedRetryDelay(error.headers);
    if (status === 429) return fail(`${host} is rate limiting us (HTTP 429): ${said}`, 'rate_limited', true, requested);
    if (status >= 500) return fail(`${host} failed (HTTP ${status}): ${said}`, 'server', true, requested);
    return fail(`${host} refused the request (HTTP ${status}): ${said}`, 'refused', false);
  }
  if (error instanceof SyntaxError) return fail(`${host} sent a malformed stream: ${error.message}`, 'server', true);
  // What is left is the response body failing under us: undici's "terminated" when the
  // connection closes mid-body, or a socket error.
  return fail(`${host} broke off its answer: ${networkReason(error)}`, 'broken_stream', true);
}

/** The server's own words: `error.message` of its JSON body, else the status text the SDK made. */
function serverMessage(error: APIError): string {
  const body = error.error as { message?: unknown } | undefined;
  if (body && typeof body.message === 'string' && body.message !== '') return body.message;
  return error.message;
}

/** The innermost system error code (ECONNREFUSED, UND_ERR_SOCKET…) or the message. */
function networkReason(error: unknown): string {
  let current: unknown = error;
  let code: string | undefined;
  for (let depth = 0; current instanceof Error && depth < 5; depth += 1) {
    const { code: ownCode } = current as Error & { code?: unknown };
    if (typeof ownCode === 'string') code = ownCode;
    current = current.cause;
  }
  return code ?? (error instanceof Error ? error.message : String(error));
}

function carriesSecret(error: unknown, redact: Redact): boolean {
  const texts: string[] = [];
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth += 1) {
    texts.push(current.message);
    if (current instanceof APIError) texts.push(JSON.stringify(current.error) ?? '');
  }
  return texts.some((text) => redact(text) !== text);
}
