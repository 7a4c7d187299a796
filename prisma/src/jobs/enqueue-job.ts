import { traceHeaders } from '@token-nexus/shared';
import type { Prisma } from '../generated/client.ts';
import { jobSettings, type JobDefinition } from './job-definition.ts';

/**
 * Adds a job to its queue, in the caller's transaction: pass the transaction client of
 * the change that asks for the job, so that the job exists if and only if that change
 * commits. (The root client works too, for a job that depends on nothing.)
 *
 * @param options.runAt not before this time (default: as soon as a worker is free).
 */
export async function enqueueJob<P extends Prisma.InputJsonValue>(
  tx: Prisma.TransactionClient,
  definition: JobDefinition<P>,
  payload: P,
  options: { runAt?: Date } = {},
): Promise<{ id: string }> {
  const { queue, maxAttempts } = jobSettings(definition);
  // Inside a traced request, the job's attempts link back to it.
  const traceParent = traceHeaders().traceparent;
  return tx.job.create({
    data: {
      queue,
      payload,
      maxAttempts,
      ...(options.runAt ? { runAt: options.runAt } : {}),
      ...(traceParent ? { traceParent } : {}),
    },
    select: { id: true },
  });
}
