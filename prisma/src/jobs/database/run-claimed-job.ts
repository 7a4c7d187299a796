import type { Logger } from '@token-nexus/shared';
import type { PrismaClient } from '../../generated/client.ts';
import type { ClaimedJob } from './claim-job.ts';
import type { DatabaseClock } from './database-clock.ts';
import type { JobSettings } from '../job-definition.ts';
import type { JobContext, JobHandler } from '../job-handler.ts';
import { holdLease } from './job-lease.ts';
import { JobDeferredError } from '../job-deferred.ts';
import { deferJob, markFailed, markSucceeded, releaseJob, scheduleRetry } from './job-outcomes.ts';
import { callOnExhausted, retryDelay, runHandler, stoppedByRunner } from '../run-attempt.ts';

/** What the worker lends each job it runs. */
export interface DatabaseWorkerDeps {
  prisma: PrismaClient;
  clock: DatabaseClock;
  logger: Logger;
}

/**
 * Runs one claimed job to the end of its attempt and records how it ended: SUCCEEDED;
 * QUEUED again after the backoff; FAILED after `onExhausted`, on the last attempt; or
 * given back untouched when the worker stopped it. Never rejects: whatever goes wrong is
 * logged, and a job whose outcome could not be written runs again once its lease is out.
 *
 * @param controller aborted by the worker when it stops; this function aborts it when the
 *   lease is lost. The handler sees its signal.
 */
export async function runClaimedJob(
  job: ClaimedJob,
  handler: JobHandler<unknown>,
  settings: JobSettings,
  controller: AbortController,
  deps: DatabaseWorkerDeps,
): Promise<void> {
  const { prisma, clock } = deps;
  const logger = deps.logger.child({ jobId: job.id, queue: job.queue, attempt: job.attempt });
  const context: JobContext = { jobId: job.id, attempt: job.attempt, signal: controller.signal };
  const lease = holdLease(prisma, job, {
    leaseMs: settings.leaseMs,
    clock,
    logger,
    onLost: (reason) => {
      logger.warn(reason.message);
      controller.abort(reason);
    },
  });

  let failure: Error | undefined;
  let exhausted = false;
  try {
    if (job.attempt > job.maxAttempts) {
      // Claimed after the lease of its last attempt ran out: that worker died mid-job.
      // The attempt counted, and it was the last one.
      failure = new Error(
        `Attempt ${job.maxAttempts} did not finish: the worker running it stopped renewing its lease`,
      );
      exhausted = true;
      context.attempt = job.maxAttempts;
    } else {
      failure = await runHandler(handler, job.payload, context);
      // An aborted attempt is not exhausted: a stopping worker gives the job back, and a
      // worker that lost its lease leaves the job to the one that took it over.
      exhausted =
        failure !== undefined && !(failure instanceof JobDeferredError) && !controller.signal.aborted && job.attempt >= job.maxAttempts;
    }
    if (failure && exhausted) {
      // Called before the job is marked FAILED, still under the lease: if this worker dies
      // first, the next claim finds the last attempt abandoned and calls it again. At least
      // once, then, rather than possibly never.
      await callOnExhausted(handler, job.payload, failure, context, logger);
    }
  } finally {
    await lease.stop();
  }

  try {
    if (!failure) {
      warnUnlessOurs(await markSucceeded(prisma, job), logger);
    } else if (exhausted) {
      logger.error({ err: failure }, 'Job failed on its last attempt');
      warnUnlessOurs(await markFailed(prisma, job, failure, context.attempt), logger);
    } else if (failure instanceof JobDeferredError && !controller.signal.aborted) {
      logger.info({ reason: failure.message, runAt: failure.runAt }, 'Job deferred; it runs again then, its attempt given back');
      warnUnlessOurs(await deferJob(prisma, job, failure, failure.runAt), logger);
    } else if (stoppedByRunner(controller.signal)) {
      logger.info({ err: failure }, 'Job was cut short by the worker stopping; it is given back');
      warnUnlessOurs(await releaseJob(prisma, job), logger);
    } else {
      const runAt = clock.in(retryDelay(settings, job.attempt, logger));
      logger.warn({ err: failure, runAt }, 'Job failed; it will be retried');
      warnUnlessOurs(await scheduleRetry(prisma, job, failure, runAt), logger);
    }
  } catch (error) {
    logger.error({ err: error }, 'Could not record how the job ended; it will run again after its lease');
  }
}

function warnUnlessOurs(stillOurs: boolean, logger: Logger): void {
  if (!stillOurs) {
    logger.warn('Another worker had taken the job over; this attempt’s outcome is not recorded');
  }
}
