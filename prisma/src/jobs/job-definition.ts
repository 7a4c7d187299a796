/**
 * What every enqueuer and every worker of one kind of job agree on. Declare it once, next
 * to the job's handler, and pass the same object to {@link enqueueJob} and to the handler.
 *
 * `P` is the payload's type. It is not checked at run time: a payload is read back from
 * the database, possibly by a newer version of the code than the one that enqueued it.
 */
// P only documents and links the payload type of enqueueJob and JobHandler.
// eslint-disable-next-line @typescript-eslint/no-unused-vars
export interface JobDefinition<P> {
  /** The queue's name; the workers that have a handler for it run its jobs. */
  queue: string;
  /** How many times a job may run before it is marked FAILED (default 5). */
  maxAttempts?: number;
  /**
   * How long to wait before the next attempt after attempt number `attempt` (1-based)
   * failed, in milliseconds (default {@link defaultBackoff}).
   */
  backoff?: (attempt: number) => number;
  /**
   * How long a worker holds a job it runs without renewing its lease (default 30 s).
   * A worker that dies stops renewing, and the job is run again after this long.
   */
  leaseMs?: number;
  /**
   * Leaves the queue's attempts out of traces: for a job that runs without end and sends
   * statements all the time (the analytics ingester), whose spans would drown the rest.
   */
  untraced?: boolean;
}

/** A definition with its defaults filled in and its numbers checked. */
export interface JobSettings {
  queue: string;
  maxAttempts: number;
  backoff: (attempt: number) => number;
  leaseMs: number;
}

const defaultMaxAttempts = 5;
const defaultLeaseMs = 30_000;
const backoffCapMs = 60 * 60 * 1000;

/**
 * The default backoff: 1 s after the first failure, doubling with each attempt, capped at
 * one hour. Each delay is spread by ±20% so that jobs that failed together (say, while a
 * service they call was down) do not all retry at the same instant.
 */
export function defaultBackoff(attempt: number): number {
  const exponential = 1000 * 2 ** (attempt - 1);
  const jitter = 0.8 + Math.random() * 0.4;
  return Math.min(exponential * jitter, backoffCapMs);
}

/** Fills in a definition's defaults; throws on values that would make a queue misbehave. */
export function jobSettings(definition: JobDefinition<unknown>): JobSettings {
  const settings: JobSettings = {
    queue: definition.queue,
    maxAttempts: definition.maxAttempts ?? defaultMaxAttempts,
    backoff: definition.backoff ?? defaultBackoff,
    leaseMs: definition.leaseMs ?? defaultLeaseMs,
  };
  if (settings.queue.trim() === '') {
    throw new Error('A job definition needs a queue name');
  }
  if (!Number.isInteger(settings.maxAttempts) || settings.maxAttempts < 1) {
    throw new Error(`Queue ${settings.queue}: maxAttempts must be a whole number ≥ 1`);
  }
  // The lease is renewed every third of it; below this, renewals would be mostly overhead.
  if (!Number.isInteger(settings.leaseMs) || settings.leaseMs < 100) {
    throw new Error(`Queue ${settings.queue}: leaseMs must be a whole number of milliseconds ≥ 100`);
  }
  return settings;
}
