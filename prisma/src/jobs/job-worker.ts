import { createLogger, type Logger } from '@token-nexus/shared';
import type { PrismaClient } from '../generated/client.ts';
import { WorkerStoppingError } from './abort-reasons.ts';
import { claimJob, claimStatement, type ClaimedJob } from './claim-job.ts';
import { DatabaseClock } from './database-clock.ts';
import { jobSettings, type JobSettings } from './job-definition.ts';
import { releaseJob } from './job-outcomes.ts';
import type { JobHandler } from './job-handler.ts';
import { runClaimedJob } from './run-claimed-job.ts';

export interface WorkerOptions {
  /** How many jobs this worker runs at once (default 2). */
  concurrency?: number;
  /** How long to wait before looking again when no job was due (default 500 ms). */
  pollIntervalMs?: number;
  logger?: Logger;
}

/** A running worker. */
export interface JobWorker {
  /**
   * Stops claiming jobs, aborts the signals of the running handlers and resolves once they
   * have all returned and their outcomes are recorded. Leases stay renewed until then.
   */
  stop(): Promise<void>;
}

/**
 * Starts running the jobs of the handlers' queues, `concurrency` at a time, on this
 * process. Start one on every instance that should share the work: workers on any number
 * of processes claim jobs from the same table without ever running one job twice at once.
 *
 * A handler's failure never escapes the worker; it is logged, and the job retried.
 */
export function startJobWorker(
  prisma: PrismaClient,
  // Handlers of different payload types share the array; each gets its own queue's payloads.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  handlers: JobHandler<any>[],
  options: WorkerOptions = {},
): JobWorker {
  const concurrency = options.concurrency ?? 2;
  const pollIntervalMs = options.pollIntervalMs ?? 500;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new Error('concurrency must be a whole number ≥ 1');
  }
  const queues = queuesOf(handlers);
  const logger = (options.logger ?? createLogger('job-worker')).child({ component: 'job-worker' });
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
    stop: () => {
      stopped ??= (async () => {
        stopping = true;
        clearTimeout(timer);
        await filling;
        const reason = new WorkerStoppingError();
        for (const controller of running.keys()) {
          controller.abort(reason);
        }
        await Promise.all(running.values());
      })();
      return stopped;
    },
  };
}

function queuesOf(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  handlers: JobHandler<any>[],
): Map<string, { handler: JobHandler<unknown>; settings: JobSettings }> {
  if (handlers.length === 0) {
    throw new Error('A job worker needs at least one handler');
  }
  const queues = new Map<string, { handler: JobHandler<unknown>; settings: JobSettings }>();
  for (const handler of handlers) {
    const settings = jobSettings(handler.definition);
    if (queues.has(settings.queue)) {
      throw new Error(`Two handlers for queue ${settings.queue}`);
    }
    queues.set(settings.queue, { handler, settings });
  }
  return queues;
}
