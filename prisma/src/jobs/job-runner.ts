import type { Logger } from '@token-nexus/shared';

/** Where a job stands, in the same words on either transport. */
export type JobState = 'queued' | 'delayed' | 'running' | 'completed' | 'failed';

/** What {@link JobRunner.status} tells about one job. */
export interface JobReport {
  id: string;
  queue: string;
  state: JobState;
  /**
   * Attempts made so far. An attempt a stopping runner cut short and gave back does not
   * count; one whose runner died mid-job may, depending on the transport.
   */
  attempts: number;
  maxAttempts: number;
  /** The last failed attempt's error message, if any attempt failed. */
  lastError: string | null;
}

/** How many jobs of one queue are in each state (`completed` only as far as they are kept). */
export type QueueCounts = Record<JobState, number>;

/**
 * The jobs of a service, run on this instance. Jobs are enqueued with `enqueueJob` in the
 * transaction of the change that asks for them, never through the runner, so a service
 * does not know (nor need to) which transport runs them: BullMQ on Redis, or the embedded
 * database's own worker (see `startJobRunner`).
 */
export interface JobRunner {
  /** Which transport runs the jobs: for logs and readiness, never for branching. */
  readonly transport: 'bullmq' | 'database';
  /** Where a job stands, by the id `enqueueJob` returned; null for an unknown id. */
  status(jobId: string): Promise<JobReport | null>;
  /** The runner's queues and how many jobs each holds in every state, for an ops view. */
  counts(): Promise<Record<string, QueueCounts>>;
  /**
   * Stops taking jobs, aborts the signals of the running handlers and waits up to the
   * drain timeout for them to return. A job whose handler gave up on its signal is handed
   * back without using up an attempt; one still running when the timeout ends is left to
   * be taken over once its lease (BullMQ: lock) runs out. Either way it runs again: no
   * job is lost. Safe to call more than once.
   */
  close(): Promise<void>;
}

/** What both transports are tuned by. */
export interface JobRunnerOptions {
  /** At most this many jobs of each queue run at once on this instance (default 2). */
  concurrency?: number;
  /** How often an idle instance looks for jobs that have come due (default 250 ms). */
  pollIntervalMs?: number;
  /** How long `close()` waits for running handlers (default 10 s). */
  drainTimeoutMs?: number;
  logger?: Logger;
}

/** {@link JobRunnerOptions} with the defaults filled in and checked. */
export function runnerSettings(options: JobRunnerOptions): Required<Omit<JobRunnerOptions, 'logger'>> {
  const settings = {
    concurrency: options.concurrency ?? 2,
    pollIntervalMs: options.pollIntervalMs ?? 250,
    drainTimeoutMs: options.drainTimeoutMs ?? 10_000,
  };
  for (const [name, value] of Object.entries(settings)) {
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(`${name} must be a whole number ≥ 1`);
    }
  }
  return settings;
}
