import type { PrismaClient } from '../generated/client.ts';
import { startBullmqJobRunner } from './bullmq/bullmq-job-runner.ts';
import { startDatabaseJobRunner } from './database/database-job-runner.ts';
import type { AnyJobHandler } from './handler-queues.ts';
import type { JobRunner, JobRunnerOptions } from './job-runner.ts';
import { trackJobQueues } from '@token-nexus/shared';
import { observedHandlers, type JobObservability } from './observed-handlers.ts';

/**
 * Starts running `handlers`' jobs on this instance, on BullMQ when the service has Redis
 * (production requires it), else on the embedded database's own worker. Start one on
 * every instance that should share the work, and close it before the database.
 *
 * @param options.keyPrefix the deployment's prefix of Redis keys (EVENT_CHANNEL_PREFIX):
 *   BullMQ's keys start with `${keyPrefix}jobs`.
 */
export function startJobRunner(
  prisma: PrismaClient,
  handlers: AnyJobHandler[],
  options: JobRunnerOptions & { redisUrl: string | undefined; keyPrefix: string; observability?: JobObservability },
): JobRunner {
  const { redisUrl, keyPrefix, observability, ...tuning } = options;
  const run = observability ? observedHandlers(prisma, handlers, observability) : handlers;
  const runner = redisUrl
    ? startBullmqJobRunner(prisma, run, { ...tuning, redisUrl, prefix: `${keyPrefix}jobs` })
    : startDatabaseJobRunner(prisma, run, tuning);
  // The queues' depths, read when metrics are collected, while the runner runs.
  const untrack = trackJobQueues(() => runner.counts());
  return {
    ...runner,
    transport: runner.transport,
    status: (jobId) => runner.status(jobId),
    counts: () => runner.counts(),
    close: async () => {
      untrack();
      await runner.close();
    },
  };
}
