import { Queue, Worker, type JobState as BullmqState } from 'bullmq';
import { createLogger } from '@token-nexus/shared';
import type { PrismaClient } from '../../generated/client.ts';
import { WorkerStoppingError } from '../abort-reasons.ts';
import { countRows } from '../count-rows.ts';
import { queuesOf, type AnyJobHandler, type HandledQueue } from '../handler-queues.ts';
import { reportFromRow } from '../job-report.ts';
import { runnerSettings, type JobRunner, type JobRunnerOptions, type JobState, type QueueCounts } from '../job-runner.ts';
import { retryDelay } from '../run-attempt.ts';
import { definitionBackoff } from './bullmq-job-options.ts';
import type { Redis } from 'ioredis';
import { openJobConnections } from './job-connections.ts';
import { exhaustAbandonedJob, jobProcessor, type ProcessorDeps } from './job-processor.ts';
import { startOutboxRelay } from './outbox-relay.ts';
import { RunningJobs } from './running-jobs.ts';

export interface BullmqRunnerOptions extends JobRunnerOptions {
  redisUrl: string;
  /**
   * What every BullMQ key of this deployment starts with. Deployments (and test graphs)
   * sharing one Redis must each have their own, or they would run each other's jobs.
   */
  prefix: string;
}

/**
 * The BullMQ transport: one BullMQ queue per job queue, with a worker for each on this
 * instance, and a relay that hands them the due jobs of the outbox (jobs.jobs). Retries
 * follow the definition's backoff; a worker that dies mid-job has its job taken over by
 * another once its lock (the definition's `leaseMs`) runs out.
 */
export function startBullmqJobRunner(
  prisma: PrismaClient,
  handlers: AnyJobHandler[],
  options: BullmqRunnerOptions,
): JobRunner {
  const { concurrency, pollIntervalMs, drainTimeoutMs } = runnerSettings(options);
  const { prefix } = options;
  const handled = queuesOf(handlers);
  const logger = (options.logger ?? createLogger('job-runner')).child({ component: 'job-runner', transport: 'bullmq' });
  const connections = openJobConnections(options.redisUrl, logger);
  const deps: ProcessorDeps = { prisma, running: new RunningJobs(), logger };

  const queues = new Map<string, Queue>();
  const workers: Worker[] = [];
  for (const [name, queue] of handled) {
    queues.set(name, new Queue(name, { connection: connections.queues, prefix }));
    workers.push(startWorker(queue, { prefix, concurrency, deps, connection: connections.workers }));
  }
  for (const queue of queues.values()) {
    queue.on('error', (error) => logger.warn({ err: error }, 'BullMQ queue error'));
  }
  const relay = startOutboxRelay({
    prisma,
    queues,
    intervalMs: pollIntervalMs,
    logger,
    redisReady: (ms) => connectionReady(connections.queues, ms),
  });

  let closing: Promise<void> | undefined;
  return {
    transport: 'bullmq',
    status: async (jobId) => {
      const row = await prisma.job.findUnique({ where: { id: jobId } });
      if (!row) return null;
      const report = reportFromRow(row);
      const job = row.status === 'RELAYED' ? await queues.get(row.queue)?.getJob(jobId) : undefined;
      if (!job) return report;
      const state = stateOf(await job.getState());
      if (!state) return report;
      const attempts = job.attemptsMade + (state === 'running' ? 1 : 0);
      return { ...report, state, attempts: Math.max(report.attempts, attempts), lastError: report.lastError ?? (job.failedReason || null) };
    },
    counts: async () => {
      // Jobs still in the outbox are waiting too, to be relayed.
      const counts = await countRows(prisma, [...queues.keys()], ['QUEUED']);
      for (const [name, queue] of queues) {
        const bullmq = await queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active', 'completed', 'failed');
        add(counts[name]!, {
          queued: (bullmq.waiting ?? 0) + (bullmq.prioritized ?? 0),
          delayed: bullmq.delayed ?? 0,
          running: bullmq.active ?? 0,
          completed: bullmq.completed ?? 0,
          failed: bullmq.failed ?? 0,
        });
      }
      return counts;
    },
    close: () => {
      closing ??= (async () => {
        await relay.stop();
        // No new jobs; then the running ones are asked to give up, and given the drain
        // timeout to do so. A job still running after it is left locked: its lock runs out
        // and another runner's stalled-job check hands it to a worker again.
        await Promise.all(workers.map((worker) => worker.pause(true)));
        deps.running.abortAll(new WorkerStoppingError());
        const drained = await deps.running.settled(drainTimeoutMs);
        if (!drained) {
          logger.warn({ running: deps.running.size }, 'Jobs still running after the drain timeout are left to their locks');
        }
        await Promise.all(workers.map((worker) => worker.close(!drained)));
        await Promise.all([...queues.values()].map((queue) => queue.close()));
        await connections.close();
      })();
      return closing;
    },
  };
}

function startWorker(
  queue: HandledQueue,
  options: { prefix: string; concurrency: number; deps: ProcessorDeps; connection: Worker['opts']['connection'] },
): Worker {
  const { settings } = queue;
  const { deps } = options;
  const worker = new Worker(settings.queue, jobProcessor(queue, deps), {
    connection: options.connection,
    prefix: options.prefix,
    concurrency: options.concurrency,
    // The lease of the database transport: how long a job whose runner died stays locked.
    // BullMQ renews the lock of a running job on its own.
    lockDuration: settings.leaseMs,
    stalledInterval: settings.leaseMs,
    // A job whose runners keep dying is failed after as many tries as it has attempts.
    maxStalledCount: settings.maxAttempts,
    settings: {
      backoffStrategy: (attemptsMade, type) =>
        type === definitionBackoff ? retryDelay(settings, attemptsMade, deps.logger) : 0,
    },
  });
  worker.on('error', (error) => deps.logger.warn({ err: error, queue: settings.queue }, 'BullMQ worker error'));
  worker.on('failed', (job) => {
    // Failed without our processor having run it: it stalled more often than allowed.
    if (job?.deferredFailure) {
      void exhaustAbandonedJob(job, queue, deps);
    }
  });
  return worker;
}

/** BullMQ's state of a job in our words; undefined when BullMQ does not know the job. */
function stateOf(state: BullmqState | 'unknown'): JobState | undefined {
  switch (state) {
    case 'waiting':
    case 'prioritized':
    case 'waiting-children':
      return 'queued';
    case 'delayed':
      return 'delayed';
    case 'active':
      return 'running';
    case 'completed':
      return 'completed';
    case 'failed':
      return 'failed';
    default:
      return undefined;
  }
}

function add(counts: QueueCounts, more: QueueCounts): void {
  for (const state of Object.keys(counts) as JobState[]) {
    counts[state] += more[state];
  }
}

/** Resolves true once `redis` is ready (at once if it is), or false after `ms`. */
function connectionReady(redis: Redis, ms: number): Promise<boolean> {
  if (redis.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const onReady = () => {
      clearTimeout(timer);
      resolve(true);
    };
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      resolve(false);
    }, ms);
    redis.once('ready', onReady);
  });
}
