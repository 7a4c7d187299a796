import type { RateLimitStore } from '@token-nexus/shared';
import { percentile } from './load.ts';

/** What to send a rate-limit store: `count` uses, the `index`th counted on `key(index)`. */
export interface HitPlan {
  store: RateLimitStore;
  count: number;
  key(index: number): string;
  limit: number;
  windowMs: number;
  /** Stops between uses (e.g. on Ctrl-C); the promise then rejects with the reason. */
  signal?: AbortSignal;
}

/** How long each use took, from the call to `hit()` until its promise resolved. */
export interface HitTimings {
  hits: number;
  p50Us: number;
  p99Us: number;
  /** Uses counted per second of wall time, all of them included. */
  hitsPerSecond: number;
}

/** One use at a time: the latency of a single request that touches one limited field. */
export async function timeSequentialHits(plan: HitPlan): Promise<HitTimings> {
  const samples: number[] = [];
  const startedAt = process.hrtime.bigint();
  for (let index = 0; index < plan.count; index++) {
    if (index % 1_000 === 0) plan.signal?.throwIfAborted();
    samples.push(await timeHit(plan, index));
  }
  return summarise(samples, process.hrtime.bigint() - startedAt);
}

/**
 * `batchSize` uses at once, then the next `batchSize`: like as many requests in flight
 * in one service, which share its Redis connection (commands queue on it, and Redis runs
 * scripts one at a time), so each use also waits for the others of its batch.
 */
export async function timeBatchedHits(plan: HitPlan, batchSize: number): Promise<HitTimings> {
  const samples: number[] = [];
  const startedAt = process.hrtime.bigint();
  for (let first = 0; first < plan.count; first += batchSize) {
    plan.signal?.throwIfAborted();
    const size = Math.min(batchSize, plan.count - first);
    const batch = await Promise.all(Array.from({ length: size }, (_, offset) => timeHit(plan, first + offset)));
    samples.push(...batch);
  }
  return summarise(samples, process.hrtime.bigint() - startedAt);
}

/** Times one use, in microseconds; a refused one means the plan's keys were not distinct. */
async function timeHit(plan: HitPlan, index: number): Promise<number> {
  const startedAt = process.hrtime.bigint();
  const decision = await plan.store.hit(plan.key(index), plan.limit, plan.windowMs);
  const elapsed = process.hrtime.bigint() - startedAt;
  if (!decision.allowed) throw new Error(`use ${index} was refused: its key was used before`);
  return Number(elapsed) / 1_000;
}

function summarise(samples: number[], wallNs: bigint): HitTimings {
  samples.sort((a, b) => a - b);
  return {
    hits: samples.length,
    p50Us: percentile(samples, 50),
    p99Us: percentile(samples, 99),
    hitsPerSecond: samples.length / (Number(wallNs) / 1e9),
  };
}
