import { Prisma, type PrismaClient } from '../../generated/client.ts';
import type { DatabaseClock } from './database-clock.ts';
import type { JobSettings } from '../job-definition.ts';

/** A job this worker has just claimed: it is RUNNING and leased to this worker. */
export interface ClaimedJob {
  id: string;
  queue: string;
  payload: Prisma.JsonValue;
  /** The attempt this claim starts (1-based); with the id, it names this worker's claim. */
  attempt: number;
  maxAttempts: number;
  /** Local time (ms) just before the claim was sent: its lease runs at least `leaseMs` from then. */
  claimedAt: number;
}

/**
 * Builds the statement that claims the next due job of `queues`, if any, in one round
 * trip: a QUEUED job whose time has come, or a RUNNING job whose lease ran out (its
 * worker died; running it again counts as an attempt). Oldest due first.
 *
 * `FOR UPDATE SKIP LOCKED` lets any number of workers claim at once: each passes over the
 * rows that others are claiming instead of waiting for them, and no two get the same job.
 * Prisma cannot express it, hence raw SQL; every comparison uses the database's clock.
 */
export function claimStatement(queues: JobSettings[]): Prisma.Sql {
  const names = queues.map((queue) => queue.queue);
  const leaseMs = Prisma.sql`CASE job."queue" ${Prisma.join(
    queues.map((queue) => Prisma.sql`WHEN ${queue.queue} THEN ${queue.leaseMs}::integer`),
    ' ',
  )} END`;
  return Prisma.sql`
    UPDATE "jobs"."jobs" AS job
    SET "status" = 'RUNNING',
        "attempts" = job."attempts" + 1,
        "locked_until" = now() + ${leaseMs} * interval '1 millisecond',
        "updated_at" = now()
    WHERE job."id" = (
      SELECT due."id" FROM "jobs"."jobs" AS due
      WHERE due."queue" IN (${Prisma.join(names)})
        AND ((due."status" = 'QUEUED' AND due."run_at" <= now())
          OR (due."status" = 'RUNNING' AND due."locked_until" < now()))
      ORDER BY due."run_at", due."id"
      LIMIT 1
      FOR UPDATE SKIP LOCKED
    )
    RETURNING job."id", job."queue", job."payload", job."attempts" AS "attempt",
      job."max_attempts" AS "maxAttempts", now() AS "databaseNow"`;
}

/**
 * Runs a statement from {@link claimStatement}: the claimed job, or null when none is due.
 * Sets `clock` by the database's time that a claim returns.
 */
export async function claimJob(
  prisma: PrismaClient,
  statement: Prisma.Sql,
  clock: DatabaseClock,
): Promise<ClaimedJob | null> {
  const claimedAt = Date.now();
  const [row] = await prisma.$queryRaw<(Omit<ClaimedJob, 'claimedAt'> & { databaseNow: Date })[]>(statement);
  if (!row) {
    return null;
  }
  const { databaseNow, ...job } = row;
  clock.observe(databaseNow, claimedAt);
  return { ...job, claimedAt };
}
