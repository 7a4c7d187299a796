import { DelayedError, WaitingError, type Job } from 'bullmq';
import type { Logger } from '@token-nexus/shared';
import type { PrismaClient } from '../../generated/client.ts';
import type { HandledQueue } from '../handler-queues.ts';
import type { JobContext } from '../job-handler.ts';
import { JobDeferredError } from '../job-deferred.ts';
import { callOnExhausted, runHandler, stoppedByRunner } from '../run-attempt.ts';
import { recordAttempt } from './job-row.ts';
import type { RunningJobs } from './running-jobs.ts';

export interface ProcessorDeps {
  prisma: PrismaClient;
  running: RunningJobs;
  logger: Logger;
}

/**
 * The BullMQ processor of one queue: runs one attempt of a job with its handler and
 * records how it ended on the job's row. A failed attempt is thrown back to BullMQ, which
 * retries it after the definition's backoff, or fails it on the last attempt, after
 * `onExhausted`. An attempt cut short by the runner stopping is handed back to the queue
 * without using up an attempt, like the database transport's.
 */
export function jobProcessor(queue: HandledQueue, deps: ProcessorDeps) {
  const { handler, settings } = queue;
  return (job: Job, token?: string): Promise<void> =>
    deps.running.run(async (signal) => {
      const jobId = job.id!;
      // attemptsMade counts the failed attempts; handed-back and stalled ones do not count.
      const attempt = job.attemptsMade + 1;
      const logger = deps.logger.child({ jobId, queue: settings.queue, attempt });
      const context: JobContext = { jobId, attempt, signal };
      const failure = signal.aborted ? (signal.reason as Error) : await runHandler(handler, job.data, context);
      if (!failure) {
        await recordAttempt(deps.prisma, jobId, { status: 'SUCCEEDED', attempts: attempt }, logger);
        return;
      }
      if (failure instanceof JobDeferredError && !signal.aborted) {
        logger.info({ reason: failure.message, runAt: failure.runAt }, 'Job deferred; it runs again then, its attempt given back');
        await recordAttempt(deps.prisma, jobId, { status: 'RELAYED', attempts: attempt - 1, error: failure, runAt: failure.runAt }, logger);
        // A move of BullMQ's own: attemptsMade counts failures only, so nothing is spent.
        await job.moveToDelayed(failure.runAt.getTime(), token);
        throw new DelayedError();
      }
      if (stoppedByRunner(signal)) {
        logger.info({ err: failure }, 'Job was cut short by the runner stopping; it is given back');
        await job.moveToWait(token);
        // Tells BullMQ the job has moved on its own: neither a failure nor a success.
        throw new WaitingError();
      }
      if (attempt >= settings.maxAttempts) {
        logger.error({ err: failure }, 'Job failed on its last attempt');
        // Before BullMQ marks it failed: if this process dies first, the attempt is run
        // again (at least once, rather than possibly never).
        await callOnExhausted(handler, job.data, failure, context, logger);
        await recordAttempt(deps.prisma, jobId, { status: 'FAILED', attempts: attempt, error: failure }, logger);
      } else {
        logger.warn({ err: failure }, 'Job failed; it will be retried');
        await recordAttempt(deps.prisma, jobId, { status: 'RELAYED', attempts: attempt, error: failure }, logger);
      }
      throw failure;
    });
}

/**
 * For a job BullMQ failed without running it, because its runners kept dying mid-job
 * (it stalled more often than its attempts allow): the failure the handler's
 * `onExhausted` hears of, and the row records, as the database transport does for a job
 * whose last attempt was abandoned.
 */
export async function exhaustAbandonedJob(job: Job, queue: HandledQueue, deps: ProcessorDeps): Promise<void> {
  const jobId = job.id!;
  const attempt = Math.max(job.attemptsMade, 1);
  const logger = deps.logger.child({ jobId, queue: queue.settings.queue, attempt });
  const failure = new Error(`The job did not finish: its runner stopped mid-job ${job.stalledCounter} times`);
  logger.error({ err: failure }, 'Job abandoned too often; it has failed');
  const context: JobContext = { jobId, attempt, signal: new AbortController().signal };
  await callOnExhausted(queue.handler, job.data, failure, context, logger);
  await recordAttempt(deps.prisma, jobId, { status: 'FAILED', attempts: attempt, error: failure }, logger);
}
