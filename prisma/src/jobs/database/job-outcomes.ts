import type { PrismaClient } from '../../generated/client.ts';
import { describeError } from '../run-attempt.ts';
import { stillOurs, type JobClaim } from './job-claim.ts';

/*
 * How an attempt ends, written only while the claim is still ours: each returns false,
 * writing nothing, when another worker has taken the job over meanwhile.
 */

/** The attempt succeeded: the job is done. */
export async function markSucceeded(prisma: PrismaClient, claim: JobClaim): Promise<boolean> {
  const { count } = await prisma.job.updateMany({
    where: stillOurs(claim),
    data: { status: 'SUCCEEDED', lockedUntil: null },
  });
  return count === 1;
}

/** The attempt failed and attempts remain: the job waits in its queue until `runAt`. */
export async function scheduleRetry(
  prisma: PrismaClient,
  claim: JobClaim,
  error: Error,
  runAt: Date,
): Promise<boolean> {
  const { count } = await prisma.job.updateMany({
    where: stillOurs(claim),
    data: { status: 'QUEUED', lockedUntil: null, runAt, lastError: describeError(error) },
  });
  return count === 1;
}

/**
 * The last attempt failed: the job stays FAILED. `attempts` corrects the count when the
 * claim that finds a job's last attempt abandoned (its worker died) is not itself run.
 */
export async function markFailed(
  prisma: PrismaClient,
  claim: JobClaim,
  error: Error,
  attempts = claim.attempt,
): Promise<boolean> {
  const { count } = await prisma.job.updateMany({
    where: stillOurs(claim),
    data: { status: 'FAILED', lockedUntil: null, attempts, lastError: describeError(error) },
  });
  return count === 1;
}

/**
 * The handler deferred the job (`JobDeferredError`): it waits in its queue until `runAt`
 * with the attempt it just had given back.
 */
export async function deferJob(prisma: PrismaClient, claim: JobClaim, deferral: Error, runAt: Date): Promise<boolean> {
  const { count } = await prisma.job.updateMany({
    where: stillOurs(claim),
    data: { status: 'QUEUED', lockedUntil: null, runAt, attempts: { decrement: 1 }, lastError: describeError(deferral) },
  });
  return count === 1;
}

/**
 * Gives the job back without using up an attempt, for another worker to run at once:
 * this worker is stopping and the attempt was cut short, not failed by the job itself.
 */
export async function releaseJob(prisma: PrismaClient, claim: JobClaim): Promise<boolean> {
  const { count } = await prisma.job.updateMany({
    where: stillOurs(claim),
    data: { status: 'QUEUED', lockedUntil: null, attempts: { decrement: 1 } },
  });
  return count === 1;
}
