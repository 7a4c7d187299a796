import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { FailureCount } from './failure-tally.ts';
import type { LoadResult } from './load.ts';
import type { Workload } from './workloads.ts';

/** One run of load: what to send where, from how many connections, for how long. */
export interface LoadPlan {
  url: string;
  workload: Workload;
  connections: number;
  durationSeconds: number;
}

/** What the load process measured. */
export interface LoadReport {
  load: LoadResult;
  /** Why responses failed, the most frequent reason first. */
  failures: FailureCount[];
}

const workerPath = fileURLToPath(new URL('./load-worker.ts', import.meta.url));

/**
 * Runs `plan` with autocannon in a Node process of its own (load-worker.ts), as a client
 * would be: making requests and reading every answer then takes none of the measured
 * graph's time, nor this process's. An aborted `signal` stops the load early; the report
 * then covers what was measured. Resolves once the load process has ended, so that it
 * never overlaps the next run.
 */
export async function runLoadProcess(plan: LoadPlan, signal?: AbortSignal): Promise<LoadReport> {
  // Explicit Node options: the default would be this process's own (tsx's CLI loader).
  const child = fork(workerPath, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = once(child, 'exit');
  // The load never outlives this process, however it ends.
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  const stop = () => child.kill('SIGINT');
  signal?.addEventListener('abort', stop, { once: true });
  try {
    const report = new Promise<LoadReport>((resolve, reject) => {
      child.once('message', (message) => resolve(message as LoadReport));
      child.once('error', reject);
      exited.then(([code, signalName]) =>
        reject(new Error(`the load process ended (${String(code ?? signalName)}) without a result`)),
      );
    });
    child.send(plan);
    const result = await report;
    await exited;
    return result;
  } finally {
    signal?.removeEventListener('abort', stop);
  }
}
