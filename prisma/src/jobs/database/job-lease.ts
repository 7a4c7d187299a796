import type { Logger } from '@token-nexus/shared';
import type { PrismaClient } from '../../generated/client.ts';
import { LeaseLostError } from '../abort-reasons.ts';
import type { DatabaseClock } from './database-clock.ts';
import { stillOurs, type JobClaim } from './job-claim.ts';

/** A claimed job's lease, kept alive in the background while its handler runs. */
export interface Lease {
  /** Stops renewing; resolves once a renewal in flight, if any, has finished. */
  stop(): Promise<void>;
}

/**
 * Renews the lease on a claimed job every third of `leaseMs`, so that a renewal can fail
 * (or be late) once without the lease running out. Calls `onLost` once, and stops, when
 * the job turns out to be another worker's, or when renewals kept failing until the lease
 * ran out (then another worker may take the job at any moment).
 */
export function holdLease(
  prisma: PrismaClient,
  claim: JobClaim & { claimedAt: number },
  options: { leaseMs: number; clock: DatabaseClock; logger: Logger; onLost: (reason: LeaseLostError) => void },
): Lease {
  const { leaseMs, clock, logger, onLost } = options;
  // Local time until which the lease surely holds: each grant (the claim, then every
  // renewal) runs at least leaseMs from the moment it was sent.
  let expiresAt = claim.claimedAt + leaseMs;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let renewing: Promise<void> | undefined;

  const renew = async () => {
    const sentAt = Date.now();
    try {
      const { count } = await prisma.job.updateMany({
        where: stillOurs(claim),
        data: { lockedUntil: clock.in(leaseMs) },
      });
      if (stopped) {
        return;
      }
      if (count === 0) {
        onLost(new LeaseLostError('Another worker has taken the job over: its lease had run out'));
        return;
      }
      expiresAt = sentAt + leaseMs;
    } catch (error) {
      if (stopped) {
        return;
      }
      logger.warn({ err: error }, 'Could not renew the lease of a running job');
      if (Date.now() >= expiresAt) {
        onLost(new LeaseLostError('The lease ran out: it could not be renewed'));
        return;
      }
    }
    schedule();
  };
  const schedule = () => {
    timer = setTimeout(() => {
      renewing = renew();
    }, leaseMs / 3);
  };

  schedule();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await renewing;
    },
  };
}
