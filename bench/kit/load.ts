import autocannon from 'autocannon';

/** What every response of a load is checked with. */
interface ResponseCheck {
  /**
   * Whether a response body is the answer this target must give; called for every response.
   * By default, any body without a GraphQL `errors` entry: a target whose right answer is
   * an error (say UNAUTHENTICATED) says so here.
   */
  accepts?(body: string): boolean;
  /** Told of every failed response (not 2xx, or not accepted), e.g. to show what went wrong. */
  onFailure?(status: number, body: string): void;
}

/** Where to send load, and what: the same body every time. */
export interface LoadTarget extends ResponseCheck {
  name: string;
  url: string;
  /** The JSON body of every request. */
  body: string;
  /** Headers for one request; called for each request, so they may carry a fresh signature. */
  headers(): Record<string, string>;
}

/** One request of a mixed load. */
export interface LoadRequest {
  body: string;
  headers: Record<string, string>;
}

/** Where to send load whose requests differ, e.g. several users' different operations. */
export interface MixedLoad extends ResponseCheck {
  name: string;
  url: string;
  /** The next request to send; called for each request. */
  next(): LoadRequest;
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
  /** Responses that were not 2xx, or not accepted: each failed response counted once. */
  failed: number;
}

/**
 * Sends `target` requests from `connections` keep-alive connections, each sending its next
 * request as soon as the previous answer arrives, for `durationSeconds`.
 *
 * The load generator runs in the calling process: when that process also runs the graph,
 * its own work is part of what is measured (to keep it out, run the load in a process of
 * its own: see load-process.ts). Every target is built per request the same way
 * (`setupRequest`) to keep that part equal between targets.
 */
export async function runLoad(target: LoadTarget | MixedLoad, options: LoadOptions): Promise<LoadResult> {
  // autocannon's own latency histogram has whole-millisecond resolution and no p95, which
  // is too coarse for a query answered in a few milliseconds: keep every sample instead.
  const latencies: number[] = [];
  const next = 'next' in target ? () => target.next() : () => ({ body: target.body, headers: target.headers() });
  const accepts = target.accepts ?? hasNoErrors;
  let wrongAnswers = 0;
  let failed = 0;
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
        requests: [
          {
            setupRequest: (request) => {
              const { body, headers } = next();
              return { ...request, body, headers: { ...request.headers, ...headers } };
            },
            // GraphQL reports most failures with status 200, so look inside the body too.
            onResponse: (status, body) => {
              const accepted = accepts(body);
              if (!accepted) wrongAnswers++;
              if (accepted && status >= 200 && status < 300) return;
              failed++;
              target.onFailure?.(status, body);
            },
          },
        ],
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
    wrongAnswers,
    failed,
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
    failed: total((result) => result.failed),
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
