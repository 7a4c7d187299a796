import { addLookups, hitRate, lookupsBetween, scrapeCacheFetches, type CacheLookups } from './cache-metrics.ts';
import { isFullAnswer } from './dashboard-operations.ts';
import { addFailureCounts, type FailureCount } from './failure-tally.ts';
import { combineLoads, type LoadResult } from './load.ts';
import { runLoadProcess, type LoadPlan } from './load-process.ts';
import { progress } from './run-benchmark.ts';
import type { StatementCounter } from './statement-stats.ts';
import { sampleRequests } from './workloads.ts';

/** What one measured run of a workload saw. */
export interface RunResult {
  load: LoadResult;
  failures: FailureCount[];
  /** SQL statements the database ran for it (in-flight requests at the end included). */
  statements: number;
  /** The gateway cache's hits and misses over the run; null when the gateway does not count them. */
  cache: CacheLookups | null;
}

export interface RunTiming {
  warmupSeconds: number;
  durationSeconds: number;
}

/**
 * Sends one request of each kind the workload sends, and fails unless each answers in
 * full: loading a graph that answers with errors would measure nothing useful.
 */
export async function verifyWorkload(plan: Omit<LoadPlan, 'durationSeconds'>): Promise<void> {
  for (const { name, request } of sampleRequests(plan.workload, plan.url)) {
    const response = await fetch(plan.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...request.headers },
      body: request.body,
    });
    const body = await response.text();
    if (response.status !== 200 || !isFullAnswer(body)) {
      throw new Error(`${name} did not answer in full (status ${response.status}): ${body.slice(0, 1000)}`);
    }
  }
}

/**
 * A warm-up, then the measured run, each from a load process of its own. The database's
 * statement count starts from zero once the warm-up's requests are done, and is read once
 * the run's are; the gateway's cache counter is read around the run. `onMeasuring` is
 * told as the measured load starts (after the warm-up, its requests done), for a caller
 * that counts something of its own over the measured run alone; when it returns a
 * promise (say, a count of rows to start from), the load waits for it.
 */
export async function measureRun(
  plan: Omit<LoadPlan, 'durationSeconds'>,
  statements: StatementCounter,
  timing: RunTiming,
  signal: AbortSignal,
  onMeasuring?: () => unknown,
): Promise<RunResult> {
  const name = `${plan.workload.kind === 'mix' ? 'dashboard mix' : plan.workload.name}, ${plan.connections} connections`;
  progress(`${name}: warming up for ${timing.warmupSeconds} s…`);
  await runLoadProcess({ ...plan, durationSeconds: timing.warmupSeconds }, signal);
  signal.throwIfAborted();
  await statements.settle();
  await statements.reset();
  const before = await scrapeCacheFetches(plan.url);
  progress(`${name}: measuring for ${timing.durationSeconds} s…`);
  await onMeasuring?.();
  const { load, failures } = await runLoadProcess({ ...plan, durationSeconds: timing.durationSeconds }, signal);
  signal.throwIfAborted();
  // The requests still in flight when the load stopped run to the end: count theirs too
  // (statements per request divides by requests sent, not answered).
  await statements.settle();
  const total = await statements.total();
  const after = await scrapeCacheFetches(plan.url);
  return { load, failures, statements: total, cache: lookupsBetween(before, after) };
}

/** SQL statements per second of the run. */
export function statementsPerSecond(run: RunResult): number {
  return run.statements / run.load.durationSeconds;
}

/** SQL statements per request sent. */
export function statementsPerRequest(run: RunResult): number {
  return run.statements / run.load.sent;
}

/** The gateway cache's hit rate over the run (NaN: not counted). */
export function hitRateOf(run: RunResult): number {
  return hitRate(run.cache);
}

/**
 * Runs of one workload (one per round) as if they were one: counts added up, latency
 * percentiles over every sample, throughput over the time all of them took.
 */
export function combineRuns(runs: readonly RunResult[]): RunResult {
  return {
    load: combineLoads(runs.map((run) => run.load)),
    failures: addFailureCounts(runs.map((run) => run.failures)),
    statements: runs.reduce((sum, run) => sum + run.statements, 0),
    cache: addLookups(runs.map((run) => run.cache)),
  };
}
