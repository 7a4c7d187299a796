/**
 * Why a request to a model server failed:
 * - `timeout`: no complete answer within the deadline, or the stream went silent;
 * - `rate_limited`: HTTP 429;
 * - `server`: HTTP 5xx, an error reported inside the stream, or an answer that makes no sense;
 * - `broken_stream`: the answer stopped part-way (connection lost, or any failure once
 *   events were yielded);
 * - `refused`: any other HTTP 4xx (bad request, wrong API key, unknown model…);
 * - `unreachable`: no connection (refused, DNS, TLS).
 */
export type ProviderErrorKind = 'timeout' | 'rate_limited' | 'server' | 'broken_stream' | 'refused' | 'unreachable';

/**
 * A model server request that failed after the provider's own retries. `retryable` says
 * whether the same request could succeed later; it is false for `refused` and for a stream
 * that had already yielded events (the caller has shown part of an answer: mark it failed
 * rather than send the request again). Messages never contain the API key.
 */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly kind: ProviderErrorKind,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ProviderError';
  }
}
