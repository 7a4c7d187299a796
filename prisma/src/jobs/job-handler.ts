import type { JobDefinition } from './job-definition.ts';

/** What a handler knows about the attempt it is running. */
export interface JobContext {
  jobId: string;
  /** 1 on the first run, 2 on the first retry, and so on. */
  attempt: number;
  /**
   * Aborted when the worker stops or when the job is no longer this worker's (its lease
   * ran out and another worker took it). Pass it to fetch and the like, and stop early:
   * after a stop, a handler that gives up is run again elsewhere without losing an attempt.
   */
  signal: AbortSignal;
}

/**
 * Runs the jobs of one queue. A job runs at least once and, when a worker dies or loses
 * its lease mid-job, possibly more than once: make `run` safe to repeat.
 */
export interface JobHandler<P> {
  definition: JobDefinition<P>;
  /**
   * Does the work; throwing (or rejecting) fails the attempt, and the job is retried.
   * Throwing a `JobDeferredError` runs it again at its `runAt` without spending an attempt.
   */
  run(payload: P, context: JobContext): Promise<void>;
  /** Called once when the last attempt fails, e.g. to record the failure where users see it. */
  onExhausted?(payload: P, error: Error, context: JobContext): Promise<void>;
}
