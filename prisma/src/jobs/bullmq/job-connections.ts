import { Redis } from 'ioredis';
import { reportOutages, type Logger } from '@token-nexus/shared';

/** The Redis connections of one BullMQ runner; the runner closes them when it stops. */
export interface JobConnections {
  /** Shared by the runner's workers; each also opens its own blocking one from it. */
  workers: Redis;
  /** For the relay's adds and the status reads. */
  queues: Redis;
  close(): Promise<void>;
}

/** How long closing waits for QUIT before dropping a connection (Redis may be away). */
const quitTimeoutMs = 2_000;

/** Opens the two connections a BullMQ runner needs, with outages logged once each. */
export function openJobConnections(url: string, logger: Logger): JobConnections {
  // Workers must ride out an outage, not fail: BullMQ requires no retry limit on their
  // connection (its blocking reads would otherwise throw while Redis restarts).
  const workers = new Redis(url, { connectionName: 'jobs-workers', maxRetriesPerRequest: null });
  // The relay fails fast instead, and tries again on its next round: a row stays QUEUED
  // in Postgres until Redis has taken its job, so nothing waits in this process's memory.
  const queues = new Redis(url, { connectionName: 'jobs-queues', maxRetriesPerRequest: 1 });
  reportOutages(workers, logger);
  reportOutages(queues, logger);
  return {
    workers,
    queues,
    close: async () => {
      await Promise.all([workers, queues].map(quitOrDrop));
    },
  };
}

async function quitOrDrop(redis: Redis): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, quitTimeoutMs);
  });
  await Promise.race([redis.quit().catch(() => undefined), timedOut]);
  clearTimeout(timer);
  redis.disconnect();
}
