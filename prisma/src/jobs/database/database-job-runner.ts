import { setTimeout as delay } from 'node:timers/promises';
import { createLogger } from '@token-nexus/shared';
import type { PrismaClient } from '../../generated/client.ts';
import { WorkerStoppingError } from '../abort-reasons.ts';
import { queuesOf, type AnyJobHandler } from '../handler-queues.ts';
import { countRows } from '../count-rows.ts';
import { reportFromRow } from '../job-report.ts';
import { runnerSettings, type JobRunner, type JobRunnerOptions } from '../job-runner.ts';
import { claimJob, claimStatement, type ClaimedJob } from './claim-job.ts';
import { DatabaseClock } from './database-clock.ts';
import { releaseJob } from './job-outcomes.ts';
import { runClaimedJob } from './run-claimed-job.ts';

/**
 * The database transport (the embedded mode's): runs the jobs of the handlers' queues
 * straight from jobs.jobs, `concurrency` at a time, on this process. Workers on any
 * number of processes may share one table: they claim jobs with FOR UPDATE SKIP LOCKED
 * and hold them under a renewed lease, so no job ever runs twice at once, and the job of
 * a worker that died runs again once its lease is out. Jobs survive restarts: they are
 * rows.
 *
 * A handler's failure never escapes the worker; it is logged, and the job retried.
 */
export function startDatabaseJobRunner(
  prisma: PrismaClient,
  handlers: AnyJobHandler[],
  options: JobRunnerOptions = {},
): JobRunner {
  const { concurrency, pollIntervalMs, drainTimeoutMs } = runnerSettings(options);
  const queues = queuesOf(handlers);
  const logger = (options.logger ?? createLogger('job-runner')).child({ component: 'job-runner', transport: 'database' });
  const claim = claimStatement([...queues.values()].map((queue) => queue.settings));
  const deps = { prisma, clock: new DatabaseClock(), logger };

  const running = new Map<AbortController, Promise<void>>();
  let stopping = false;
  let stopped: Promise<void> | undefined;
  let filling: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  // Whether the last claim found a job: then more may be waiting, and a slot that frees
  // up is filled at once instead of at the next poll.
  let moreMayBeDue = false;

  const pollLater = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      void fill();
    }, pollIntervalMs);
  };

  /** Claims jobs until every slot is busy or none is due; one call at a time. */
  const fill = (): Promise<void> => {
    filling ??= claimWhileFree().finally(() => {
      filling = undefined;
      if (stopping || running.size >= concurrency) {
        // With every slot busy, the next job to finish calls fill() again.
        return;
      }
      if (moreMayBeDue) {
        // A slot freed up while the last claim was on its way.
        void fill();
      } else {
        pollLater();
      }
    });
    return filling;
  };

  const claimWhileFree = async () => {
    clearTimeout(timer);
    timer = undefined;
    try {
      while (!stopping && running.size < concurrency) {
        const job = await claimJob(prisma, claim, deps.clock);
        moreMayBeDue = job !== null;
        if (!job) {
          return;
        }
        if (stopping) {
          // stop() was called while this claim was on its way: give the job back.
          await releaseJob(prisma, job);
          return;
        }
        start(job);
      }
    } catch (error) {
      // The database may be unreachable for a while: keep polling at the usual pace.
      moreMayBeDue = false;
      logger.error({ err: error }, 'Could not claim a job');
    }
  };

  const start = (job: ClaimedJob) => {
    const queue = queues.get(job.queue);
    if (!queue) {
      // Cannot happen: the claim only selects this worker's queues.
      throw new Error(`Claimed a job of queue ${job.queue}, which has no handler here`);
    }
    const controller = new AbortController();
    const done = runClaimedJob(job, queue.handler, queue.settings, controller, deps)
      .catch((error: unknown) => logger.error({ err: error, jobId: job.id }, 'Running a job failed unexpectedly'))
      .finally(() => {
        running.delete(controller);
        if (stopping) {
          return;
        }
        if (moreMayBeDue) {
          void fill();
        } else if (!timer && !filling) {
          pollLater();
        }
      });
    running.set(controller, done);
  };

  void fill();

  return {
    transport: 'database',
    status: async (jobId) => {
      const row = await prisma.job.findUnique({ where: { id: jobId } });
      return row ? reportFromRow(row) : null;
    },
    counts: () => countRows(prisma, [...queues.keys()]),
    close: () => {
      stopped ??= (async () => {
        stopping = true;
        clearTimeout(timer);
        await filling;
        const reason = new WorkerStoppingError();
        for (const controller of running.keys()) {
          controller.abort(reason);
        }
        const drained = await Promise.race([
          Promise.all(running.values()).then(() => true),
          delay(drainTimeoutMs, false, { ref: false }),
        ]);
        if (!drained) {
          // Their leases run out once this process stops renewing them (it is about to
          // close the database), and a worker takes the jobs over then.
          logger.warn({ running: running.size }, 'Handlers still running after the drain timeout are left to their leases');
        }
      })();
      return stopped;
    },
  };
}
