import type { PrismaClient } from '@token-nexus/prisma';
import type { Logger } from '@token-nexus/shared';
import { ensureIngestJob } from './ingest-job.ts';

/**
 * On every analytics instance: every `intervalMs`, makes sure an ingest job is waiting
 * or running. Jobs hand over to their successor themselves; this restarts the chain
 * after a job that ran out of attempts, or a first start.
 */
export function startIngestKeeper(options: { prisma: PrismaClient; logger: Logger; intervalMs: number }) {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = ensureIngestJob(options.prisma)
      .then(() => undefined)
      .catch((error: unknown) => options.logger.warn({ err: error }, 'could not check the analytics ingest job'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, options.intervalMs);
      });
  };
  tick();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
