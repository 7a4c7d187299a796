import type { Queue } from 'bullmq';
import type { Logger } from '@token-nexus/shared';
import { Prisma, type PrismaClient } from '../../generated/client.ts';
import { bullmqJobOptions } from './bullmq-job-options.ts';

/** The relay of one runner, moving due jobs from the outbox (jobs.jobs) to BullMQ. */
export interface OutboxRelay {
  /** Stops relaying; resolves once a round in flight, if any, has finished. */
  stop(): Promise<void>;
}

const batchSize = 100;

/**
 * Hands the runner's queues' due outbox rows to BullMQ, at most `limit` of them, and
 * returns how many. Rows due within `horizonMs` go too, with a delay, so that they run on
 * time rather than up to a round late. Times are the database's, as enqueueJob wrote them.
 *
 * In one transaction: the rows are locked with FOR UPDATE SKIP LOCKED (relays on other
 * instances pass over them), added to BullMQ under their own ids, then marked RELAYED.
 * If this process dies after adding and before committing, the rows stay QUEUED and a
 * relay adds them again; BullMQ ignores an id it holds, so the job still runs once.
 */
export async function relayDueJobs(
  prisma: PrismaClient,
  queues: Map<string, Queue>,
  horizonMs: number,
  limit = batchSize,
): Promise<number> {
  const names = Prisma.join([...queues.keys()]);
  const horizon = Prisma.sql`now() + ${horizonMs}::integer * interval '1 millisecond'`;
  // An idle round costs one indexed read and no transaction: most rounds find nothing,
  // and every instance runs one a poll interval.
  const due = await prisma.$queryRaw<unknown[]>`
    SELECT 1 FROM jobs.jobs WHERE status = 'QUEUED' AND queue IN (${names}) AND run_at <= ${horizon} LIMIT 1`;
  if (due.length === 0) return 0;
  return prisma.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<
      { id: string; queue: string; payload: Prisma.JsonValue; maxAttempts: number; delayMs: number }[]
    >`
      SELECT id, queue, payload, max_attempts AS "maxAttempts",
        GREATEST(0, CEIL(EXTRACT(EPOCH FROM run_at - now()) * 1000))::integer AS "delayMs"
      FROM jobs.jobs
      WHERE status = 'QUEUED' AND queue IN (${names}) AND run_at <= ${horizon}
      ORDER BY run_at, id
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED`;
    if (rows.length === 0) {
      return 0;
    }
    for (const [name, queue] of queues) {
      const jobs = rows.filter((row) => row.queue === name);
      if (jobs.length > 0) {
        await queue.addBulk(
          jobs.map((row) => ({ name, data: row.payload, opts: bullmqJobOptions(row.id, row.maxAttempts, row.delayMs) })),
        );
      }
    }
    await tx.job.updateMany({ where: { id: { in: rows.map((row) => row.id) } }, data: { status: 'RELAYED' } });
    return rows.length;
  });
}

/**
 * Relays every `intervalMs` (a round that filled a whole batch is followed at once).
 * A failed round (Postgres or Redis away) is logged and tried again on the next.
 */
/** How often a relay looks for jobs BullMQ lost, and how long after relaying it first may. */
const recoveryEveryMs = 60_000;
const recoveryGraceMs = 5 * 60_000;

/**
 * Gives back to the outbox the relayed jobs that BullMQ no longer holds, and returns how
 * many: Redis lost them (a restart of a Redis that keeps nothing on disk, a flush, an
 * eviction). A relayed row not finished (still RELAYED) whose job BullMQ does not know is
 * set QUEUED, and the relay adds it again. Rows relayed in the last `graceMs` are left
 * alone. A job whose last outcome could not be written back may so run once more, an
 * hour after it finished (when BullMQ forgets it): handlers are safe to repeat.
 */
export async function recoverLostJobs(
  prisma: PrismaClient,
  queues: Map<string, Queue>,
  graceMs: number,
  limit = batchSize,
): Promise<number> {
  const rows = await prisma.job.findMany({
    where: { status: 'RELAYED', queue: { in: [...queues.keys()] }, updatedAt: { lt: new Date(Date.now() - graceMs) } },
    select: { id: true, queue: true },
    orderBy: { updatedAt: 'asc' },
    take: limit,
  });
  let recovered = 0;
  for (const row of rows) {
    if (await queues.get(row.queue)!.getJob(row.id)) continue;
    const back = await prisma.job.updateMany({ where: { id: row.id, status: 'RELAYED' }, data: { status: 'QUEUED', runAt: new Date() } });
    recovered += back.count;
  }
  return recovered;
}

export function startOutboxRelay(options: {
  prisma: PrismaClient;
  queues: Map<string, Queue>;
  intervalMs: number;
  logger: Logger;
  /**
   * Resolves true once the queues' Redis connection is up, or false after `ms`. A round
   * while it is down would wait in BullMQ for a connection that may never come (holding
   * its transaction, and a stop waiting for the round); the rows wait in the outbox
   * instead, and go once it is back.
   */
  redisReady: (ms: number) => Promise<boolean>;
}): OutboxRelay {
  const { prisma, queues, intervalMs, logger } = options;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let lastRecovery = Date.now();
  const round = async (): Promise<void> => {
    if (!(await options.redisReady(Math.min(intervalMs, 1_000)))) return;
    try {
      if (Date.now() - lastRecovery >= recoveryEveryMs) {
        lastRecovery = Date.now();
        const recovered = await recoverLostJobs(prisma, queues, recoveryGraceMs);
        if (recovered > 0) logger.warn({ recovered }, 'BullMQ had lost relayed jobs; they are queued again');
      }
      while (!stopped && (await relayDueJobs(prisma, queues, intervalMs)) === batchSize);
    } catch (error) {
      logger.warn({ err: error }, 'Could not relay due jobs to BullMQ; trying again next round');
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = round().finally(schedule);
    }, intervalMs);
  };
  running = round().finally(schedule);
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
