import type { JobsOptions } from 'bullmq';

/** The backoff type every relayed job names; each queue's worker computes it from its definition. */
export const definitionBackoff = 'definition';

/**
 * How long a finished job stays in Redis. A completed job must outlive the window in
 * which a relay that crashed after adding it (and before marking its row) adds it again:
 * while BullMQ still holds the id, that second add is ignored. The relay's window is
 * seconds; an hour is ample, and keeps completed jobs visible for a while.
 */
const keepCompletedSeconds = 60 * 60;
/** Failed jobs stay a week, for whoever looks into them (their rows stay for good). */
const keepFailedSeconds = 7 * 24 * 60 * 60;

/**
 * The options of the BullMQ job for outbox row `id`. The job's id is the row's, so that
 * adding the same row twice is one job: BullMQ ignores an add whose id it already holds.
 */
export function bullmqJobOptions(id: string, maxAttempts: number, delayMs: number): JobsOptions {
  return {
    jobId: id,
    delay: Math.max(0, delayMs),
    attempts: maxAttempts,
    backoff: { type: definitionBackoff },
    removeOnComplete: { age: keepCompletedSeconds },
    removeOnFail: { age: keepFailedSeconds },
  };
}
