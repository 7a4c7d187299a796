import { Agent, request } from 'node:http';
import { mapConcurrently } from './concurrency.ts';
import type { LoadTarget } from './load.ts';
import { percentile } from './load.ts';
import { range } from './seed.ts';

/** What a fixed number of requests to one target measured. */
export interface RequestTimings {
  /** Responses received, whatever they said. */
  responses: number;
  /** Responses with a status other than 200, or a body the target does not accept. */
  wrongAnswers: number;
  /** Latency of every accepted response, in milliseconds, ascending. */
  samplesMs: readonly number[];
  /** From the first request sent to the last response read. */
  wallMs: number;
}

/** The latency percentiles and throughput of some timings. */
export interface TimingSummary {
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  requestsPerSecond: number;
}

/**
 * Sends requests over keep-alive connections, at most `maxSockets` at once. One client for
 * every target of a run: they all reuse the same warm connections, so none pays for
 * connecting more than the others.
 */
export class KeepAliveClient {
  readonly #agent: Agent;

  constructor(maxSockets: number) {
    this.#agent = new Agent({ keepAlive: true, maxSockets });
  }

  /** POSTs `body` and reads the whole response. */
  post(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const outgoing = request(
        url,
        {
          method: 'POST',
          agent: this.#agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
          );
          response.on('error', reject);
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}

/**
 * Sends `count` requests to `target`, `concurrency` in flight (1: one after another), and
 * times each from just before it is sent to its last byte. Unlike `runLoad` (autocannon,
 * which notices the end of a fixed count only at its next one-second tick), the wall time
 * ends with the last response: short slices of a run can be compared and added up.
 */
export async function timeRequests(
  client: KeepAliveClient,
  target: LoadTarget,
  options: { count: number; concurrency: number; signal?: AbortSignal },
): Promise<RequestTimings> {
  const accepts = target.accepts ?? ((body: string) => !body.includes('"errors"'));
  const samples: number[] = [];
  let wrongAnswers = 0;
  const startedAt = performance.now();
  await mapConcurrently(range(options.count), options.concurrency, async () => {
    options.signal?.throwIfAborted();
    const sentAt = performance.now();
    const response = await client.post(target.url, target.body, target.headers());
    const latency = performance.now() - sentAt;
    if (response.status === 200 && accepts(response.body)) samples.push(latency);
    else wrongAnswers++;
  });
  const wallMs = performance.now() - startedAt;
  samples.sort((a, b) => a - b);
  return { responses: options.count, wrongAnswers, samplesMs: samples, wallMs };
}

/**
 * Slices of a run against one target as if they were one: for slices taken in turn with
 * another target's, so that both see the same drift (a warming JIT, a busier machine).
 */
export function combineTimings(slices: readonly RequestTimings[]): RequestTimings {
  return {
    responses: slices.reduce((sum, slice) => sum + slice.responses, 0),
    wrongAnswers: slices.reduce((sum, slice) => sum + slice.wrongAnswers, 0),
    samplesMs: slices.flatMap((slice) => slice.samplesMs).sort((a, b) => a - b),
    wallMs: slices.reduce((sum, slice) => sum + slice.wallMs, 0),
  };
}

export function summariseTimings(timings: RequestTimings): TimingSummary {
  const { samplesMs } = timings;
  return {
    p50Ms: percentile(samplesMs, 50),
    p95Ms: percentile(samplesMs, 95),
    p99Ms: percentile(samplesMs, 99),
    requestsPerSecond: timings.wallMs > 0 ? timings.responses / (timings.wallMs / 1000) : Number.NaN,
  };
}
