import { Prisma } from '../generated/client.ts';
import type { AuditTransaction } from '../audit/record-audit.ts';

/** Which jobs' payloads to erase fields of, and with what. */
export interface JobDataErasure {
  queue: string;
  /** A key of the payload's `data` naming the record erased, and its value. */
  key: string;
  value: string;
  /** The keys of the payload's `data` to overwrite, with what each becomes. */
  replace: Record<string, unknown>;
}

/**
 * Overwrites fields of the payload's `data` of the jobs of `queue` whose data names the
 * record erased, in the caller's transaction: the jobs' outbox (jobs.jobs) forgets it,
 * and a job that has not run yet runs without it. A copy BullMQ already holds in Redis
 * is not reached: it is removed an hour after its job completes.
 */
export async function eraseJobData(tx: AuditTransaction, erasure: JobDataErasure): Promise<void> {
  await tx.$executeRaw(Prisma.sql`
    UPDATE jobs.jobs SET payload = jsonb_set(payload, '{data}', (payload -> 'data') || ${JSON.stringify(erasure.replace)}::jsonb)
    WHERE queue = ${erasure.queue} AND payload -> 'data' ->> ${erasure.key} = ${erasure.value}`);
}
