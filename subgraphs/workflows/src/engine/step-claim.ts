import type { PrismaClient } from '@token-nexus/prisma';

/** A step this worker now holds: the attempt it makes and when the step first started. */
export interface ClaimedStep {
  attempts: number;
  attemptLimit: number;
  startedAt: Date;
}

/**
 * Takes a step to run, if it is this job's to run: due (QUEUED or WAITING, and past its
 * `not_before`), or RUNNING under a lease that ran out (its worker died). One conditional
 * UPDATE, so of two workers only one gets it: no step of a run ever runs twice at once.
 * A step taken over from a dead worker counts the lost attempt; a delay waking up does
 * not count a new one. Nothing is claimed when the run is not in progress.
 */
export async function claimStep(prisma: PrismaClient, runId: string, key: string, leaseMs: number): Promise<ClaimedStep | null> {
  const rows = await prisma.$queryRaw<{ attempts: number; attemptLimit: number; startedAt: Date }[]>`
    UPDATE workflows.workflow_step_runs s
    SET status = 'RUNNING',
        attempts = s.attempts + CASE WHEN s.status = 'WAITING' THEN 0 ELSE 1 END,
        lease_until = now() + make_interval(secs => ${leaseMs / 1000}),
        started_at = COALESCE(s.started_at, now()),
        not_before = NULL
    FROM workflows.workflow_runs r
    WHERE s.run_id = ${runId}::uuid AND s.key = ${key} AND r.id = s.run_id
      AND r.status IN ('RUNNING', 'WAITING')
      AND ((s.status IN ('QUEUED', 'WAITING') AND (s.not_before IS NULL OR s.not_before <= now()))
        OR (s.status = 'RUNNING' AND s.lease_until < now()))
    RETURNING s.attempts, s.attempt_limit AS "attemptLimit", s.started_at AS "startedAt"`;
  return rows[0] ?? null;
}

/** Why a step could not be claimed: over (nothing to do), or not yet (try again later). */
export async function unclaimedReason(prisma: PrismaClient, runId: string, key: string): Promise<'over' | 'later'> {
  const step = await prisma.workflowStepRun.findUnique({
    where: { runId_key: { runId, key } },
    select: { status: true, run: { select: { status: true } } },
  });
  if (!step) return 'over';
  if (!['RUNNING', 'WAITING'].includes(step.run.status)) return 'over';
  return ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(step.status) ? 'over' : 'later';
}

/**
 * Renews the lease of a step this worker holds; false when it is no longer this
 * worker's to run (the run was cancelled or failed, or another worker took the step).
 */
export async function renewLease(prisma: PrismaClient, runId: string, key: string, attempts: number, leaseMs: number): Promise<boolean> {
  const renewed = await prisma.$executeRaw`
    UPDATE workflows.workflow_step_runs s
    SET lease_until = now() + make_interval(secs => ${leaseMs / 1000})
    FROM workflows.workflow_runs r
    WHERE s.run_id = ${runId}::uuid AND s.key = ${key} AND s.status = 'RUNNING' AND s.attempts = ${attempts}
      AND r.id = s.run_id AND r.status IN ('RUNNING', 'WAITING')`;
  return renewed === 1;
}
