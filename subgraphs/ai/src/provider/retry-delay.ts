/** The longest wait between two attempts, whatever the server asks for. */
export const maxRetryWaitMs = 60_000;

/**
 * The wait a server asked for, capped at `maxRetryWaitMs`, or null when it asked for none.
 * `retry-after-ms` (OpenAI's and Azure's, precise) wins over `retry-after` (seconds or an
 * HTTP date, RFC 9110).
 */
export function requestedRetryDelay(headers: Headers | undefined): number | null {
  if (!headers) return null;
  const milliseconds = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(milliseconds) && milliseconds >= 0) return Math.min(milliseconds, maxRetryWaitMs);
  const retryAfter = headers.get('retry-after')?.trim();
  if (!retryAfter) return null;
  if (/^\d+(\.\d+)?$/.test(retryAfter)) return Math.min(Number(retryAfter) * 1000, maxRetryWaitMs);
  const date = Date.parse(retryAfter);
  if (Number.isNaN(date)) return null;
  return Math.min(Math.max(0, date - Date.now()), maxRetryWaitMs);
}

/**
 * Exponential backoff before attempt `failedAttempts + 1`: `baseMs`, then twice as long each
 * time, capped at `maxRetryWaitMs`, with "equal jitter" (a random point in the upper half)
 * so that clients failing together do not come back together, yet always wait a while.
 */
export function backoffDelay(failedAttempts: number, baseMs: number): number {
  const ceiling = Math.min(maxRetryWaitMs, baseMs * 2 ** (failedAttempts - 1));
  return ceiling / 2 + (Math.random() * ceiling) / 2;
}
