import type { Logger } from '@token-nexus/shared';
import type { PrismaClient } from '../../generated/client.ts';
import { describeError } from '../run-attempt.ts';

/**
 * Writes an attempt's outcome back to the job's outbox row, which stays the job's record
 * in Postgres (SQL can see every job of the platform, on either transport). BullMQ holds
 * the truth while the job is RELAYED, so a write that fails is logged, not thrown: it
 * must not turn a finished attempt into a failed one.
 */
export async function recordAttempt(
  prisma: PrismaClient,
  jobId: string,
  outcome: { status: 'RELAYED' | 'SUCCEEDED' | 'FAILED'; attempts: number; error?: Error; runAt?: Date },
  logger: Logger,
): Promise<void> {
  try {
    await prisma.job.updateMany({
      where: { id: jobId },
      data: {
        status: outcome.status,
        attempts: outcome.attempts,
        ...(outcome.error ? { lastError: describeError(outcome.error) } : {}),
        ...(outcome.runAt ? { runAt: outcome.runAt } : {}),
      },
    });
  } catch (error) {
    logger.error({ err: error }, 'Could not write the attempt’s outcome to the job’s row');
  }
}
