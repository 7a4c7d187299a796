import type { Prisma } from '../../generated/client.ts';
import type { ClaimedJob } from './claim-job.ts';

/** The part of a claimed job that identifies this worker's claim on it. */
export type JobClaim = Pick<ClaimedJob, 'id' | 'attempt'>;

/**
 * Matches the job only while the claim is still ours. Every claim adds one to `attempts`,
 * so once another worker has taken the job over (our lease ran out) the count differs and
 * nothing this worker writes about its attempt can overwrite the new one.
 */
export function stillOurs(claim: JobClaim): Prisma.JobWhereInput {
  return { id: claim.id, status: 'RUNNING', attempts: claim.attempt };
}
