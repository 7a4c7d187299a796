import autocannon from 'autocannon';

/** Where to send load, and what. */
export interface LoadTarget {
  name: string;
  url: string;
  /** The JSON body of every request. */
  body: string;
  /** Headers for one request; called for each request, so they may carry a fresh signature. */
  headers(): Record<string, string>;
  /**
   * Whether a response body is the answer this target must give; called for every response.
   * By default, any body without a GraphQL `errors` entry: a target whose right answer is
   * an error (say UNAUTHENTICATED) says so here.
   */
  accepts?(body: string): boolean;
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
  /** How long the run lasted, in seconds. */
  durationSeconds: number;
  /** Latency of 2xx responses, in milliseconds. */
  latencyMs: { p50: number; p95: number; p99: number };
  /** Every 2xx response's latency, in milliseconds, ascending: for combining runs. */
  samplesMs: readonly number[];
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
  /**
   * Responses (of any status) whose body the target does not accept: by default, those
   * with a GraphQL `errors` entry.
   */
  wrongAnswers: number;
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
  const onAbort = () => stop();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  // Removed afterwards: a signal shared by many runs would otherwise collect a listener
  // per run (and Node warns of a leak past ten).
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
        verifyBody: (body) => (target.accepts ?? hasNoErrors)(String(body)),
      },
      (error: unknown, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTimeMs) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTimeMs);
    });
    stop = () => instance.stop();
    if (options.signal?.aborted) stop();
  }).finally(() => options.signal?.removeEventListener('abort', onAbort));
  latencies.sort((a, b) => a - b);
  return {
    sent: result.requests.sent,
    completed: result.requests.total,
    requestsPerSecond: result.requests.average,
    durationSeconds: result.duration,
    latencyMs: latencyPercentiles(latencies),
    samplesMs: latencies,
    non2xx: result.non2xx,
    errors: result.errors,
    wrongAnswers: result.mismatches,
  };
}

/**
 * Several runs against one target as if they were one: counts added up, percentiles over
 * every sample, throughput over the time all of them took. For runs taken in slices,
 * alternating with another target's, so that both see the same drift (a warming JIT, a
 * growing heap, a busier machine) and their figures stay comparable.
 */
export function combineLoads(results: readonly LoadResult[]): LoadResult {
  const total = (count: (result: LoadResult) => number) =>
    results.reduce((sum, result) => sum + count(result), 0);
  const samples = results.flatMap((result) => result.samplesMs).sort((a, b) => a - b);
  const durationSeconds = total((result) => result.durationSeconds);
  const completed = total((result) => result.completed);
  return {
    sent: total((result) => result.sent),
    completed,
    requestsPerSecond: durationSeconds > 0 ? completed / durationSeconds : Number.NaN,
    durationSeconds,
    latencyMs: latencyPercentiles(samples),
    samplesMs: samples,
    non2xx: total((result) => result.non2xx),
    errors: total((result) => result.errors),
    wrongAnswers: total((result) => result.wrongAnswers),
  };
}

function hasNoErrors(body: string): boolean {
  return !body.includes('"errors"');
}

function latencyPercentiles(sorted: readonly number[]): LoadResult['latencyMs'] {
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) };
}

/** The nearest-rank percentile of ascending `sorted` values (NaN when there are none). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}
