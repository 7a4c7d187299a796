import type { Prisma, WorkflowRun } from '@token-nexus/prisma';
import type { EngineSettings } from './engine-settings.ts';
import { loadVersionDefinition, stepOf } from './run-definition.ts';
import type { ChangedRun } from './run-updates.ts';
import { admitRuns } from './start-run.ts';

type Tx = Prisma.TransactionClient;

const inProgress = ['QUEUED', 'RUNNING', 'WAITING'] as const;

/** Whether a run is not over yet. */
export function isInProgress(status: string): boolean {
  return (inProgress as readonly string[]).includes(status);
}

/**
 * Stops a run (the caller checked it is in progress, under the run's row lock): the run
 * and its unfinished steps end CANCELLED. A step being run learns it at its next lease
 * renewal and is aborted; whatever it returns is dropped. The run's place goes to the
 * organization's next waiting run.
 */
export async function cancelRun(tx: Tx, run: WorkflowRun, reason: string, settings: EngineSettings): Promise<ChangedRun[]> {
  const now = new Date();
  await tx.workflowStepRun.updateMany({
    where: { runId: run.id, status: { in: [...inProgress] } },
    data: { status: 'CANCELLED', leaseUntil: null, finishedAt: now },
  });
  await tx.workflowRun.update({ where: { id: run.id }, data: { status: 'CANCELLED', error: reason, finishedAt: now } });
  const self = { id: run.id, organizationId: run.organizationId, workflowId: run.workflowId };
  return [self, ...(await admitRuns(tx, run.organizationId, settings))];
}

/**
 * Resumes a FAILED run from the step that failed: that step is due again with a fresh set
 * of attempts, and the run waits its turn like a new one (QUEUED, then started when the
 * organization has room, with a new time limit). Steps that succeeded keep their outputs
 * and are not run again.
 */
export async function retryRun(tx: Tx, run: WorkflowRun, settings: EngineSettings): Promise<ChangedRun[]> {
  const definition = await loadVersionDefinition(tx, run.workflowId, run.version);
  const step = stepOf(definition, run.currentStep ?? definition.steps[0]!.key);
  await tx.workflowRun.update({
    where: { id: run.id },
    data: { status: 'QUEUED', error: null, finishedAt: null, deadlineAt: null, currentStep: step.key },
  });
  await tx.workflowStepRun.updateMany({ where: { runId: run.id, key: step.key }, data: { status: 'QUEUED', error: null, finishedAt: null } });
  const self = { id: run.id, organizationId: run.organizationId, workflowId: run.workflowId };
  return [self, ...(await admitRuns(tx, run.organizationId, settings))];
}
