import { positiveInt } from './load-env.ts';

/**
 * The variables of a service that runs background jobs (tokens, audit, integrations).
 * Which transport runs them follows from REDIS_URL (see serviceEnv): BullMQ with it, the
 * embedded database's own worker without.
 */
export function jobRunnerEnv() {
  return {
    /** At most this many jobs of each queue run at once on one instance. */
    JOB_CONCURRENCY: positiveInt(4),
    /** How often an idle instance looks for jobs that have come due (the outbox relay's round). */
    JOB_POLL_INTERVAL_MS: positiveInt(250),
    /** On shutdown, how long running jobs get to finish or give up before they are left to another instance. */
    JOB_DRAIN_TIMEOUT_MS: positiveInt(10_000),
  };
}

/** The job runner's settings, from the variables `jobRunnerEnv` reads. */
export function jobRunnerSettings(vars: { JOB_CONCURRENCY: number; JOB_POLL_INTERVAL_MS: number; JOB_DRAIN_TIMEOUT_MS: number }) {
  return {
    concurrency: vars.JOB_CONCURRENCY,
    pollIntervalMs: vars.JOB_POLL_INTERVAL_MS,
    drainTimeoutMs: vars.JOB_DRAIN_TIMEOUT_MS,
  };
}
