import autocannon from 'autocannon';

/** Where to send load, and what. */
export interface LoadTarget {
  name: string;
  url: string;
  /** The JSON body of every request. */
  body: string;
  /** Headers for one request; called for each request, so they may carry a fresh signature. */
  headers(): Record<string, string>;
}

export interface LoadOptions {
  durationSeconds: number;
  connections: number;
  /** Stops the run early (e.g. on Ctrl-C); the promise then resolves with what was measured. */
  signal?: AbortSignal;
}

export interface LoadResult {
  /**
   * Requests sent. When the run stops, the last ones are still in flight: the server
   * finishes them, but their responses are not counted in `completed`.
   */
  sent: number;
  /** Responses received, whatever their status. */
  completed: number;
  requestsPerSecond: number;
  /** Latency of 2xx responses, in milliseconds. */
  latencyMs: { p50: number; p95: number; p99: number };
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
  /** Responses (of any status) whose body has a GraphQL `errors` entry. */
  graphQLErrors: number;
}

/**
 * Sends `target` requests from `connections` keep-alive connections, each sending its next
 * request as soon as the previous answer arrives, for `durationSeconds`.
 *
 * The load generator runs in this process, on the same event loop as the graph, so its own
 * work is part of what is measured; every target is built per request the same way
 * (`setupRequest`) to keep that part equal between targets.
 */
export async function runLoad(target: LoadTarget, options: LoadOptions): Promise<LoadResult> {
  // autocannon's own latency histogram has whole-millisecond resolution and no p95, which
  // is too coarse for a query answered in a few milliseconds: keep every sample instead.
  const latencies: number[] = [];
  let stop = () => {};
  options.signal?.addEventListener('abort', () => stop(), { once: true });
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: target.url,
        method: 'POST',
        connections: options.connections,
        duration: options.durationSeconds,
        headers: { 'content-type': 'application/json' },
        body: target.body,
        requests: [
          {
            setupRequest: (request) => ({
              ...request,
              headers: { ...request.headers, ...target.headers() },
            }),
          },
        ],
        // GraphQL reports most failures with status 200, so look inside the body too.
        verifyBody: (body) => !String(body).includes('"errors"'),
      },
      (error: unknown, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTimeMs) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTimeMs);
    });
    stop = () => instance.stop();
    if (options.signal?.aborted) stop();
  });
  latencies.sort((a, b) => a - b);
  return {
    sent: result.requests.sent,
    completed: result.requests.total,
    requestsPerSecond: result.requests.average,
    latencyMs: {
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
    },
    non2xx: result.non2xx,
    errors: result.errors,
    graphQLErrors: result.mismatches,
  };
}

/** The nearest-rank percentile of ascending `sorted` values (NaN when there are none). */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}
