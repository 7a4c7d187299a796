import type { PrismaClient } from '@token-nexus/prisma';
import type { Actor } from '@token-nexus/shared';
import { loadVersionDefinition } from '../engine/run-definition.ts';
import { readStepCredential } from './step-credential.ts';

export type StepCredentialVerdict = { ok: true; actor: Actor } | { ok: false; message: string };

/**
 * Who a step's credential stands for: the workflow's creator, limited to the scopes both
 * the run's version and the workflow as it is now grant (a scope taken away applies to
 * runs already going), and only while that attempt of the step is running. The gateway
 * asks on every request (nothing cached), and each subgraph then applies the creator's
 * own current roles: a workflow can never do what its creator could not.
 */
export async function verifyStepCredential(prisma: PrismaClient, masterKey: string, secret: string): Promise<StepCredentialVerdict> {
  const read = readStepCredential(masterKey, secret);
  if (!read.ok) return read;
  const { runId, stepKey, attempt } = read.claim;
  const step = await prisma.workflowStepRun.findUnique({
    where: { runId_key: { runId, key: stepKey } },
    include: { run: { include: { workflow: true } } },
  });
  if (!step || step.status !== 'RUNNING' || step.attempts !== attempt || step.run.status !== 'RUNNING') {
    return { ok: false, message: "The workflow step's credential is over: its step is not running that attempt any more." };
  }
  const { run } = step;
  if (run.workflow.deletedAt) return { ok: false, message: 'The workflow was deleted.' };
  const definition = await loadVersionDefinition(prisma, run.workflowId, run.version);
  const scopes = definition.scopes.filter((scope) => run.workflow.scopes.includes(scope));
  return {
    ok: true,
    actor: {
      type: 'user',
      userId: run.workflow.createdById,
      delegation: { workflow: { id: run.workflowId, runId: run.id, causation: [...run.causation, run.id] }, scopes },
    },
  };
}
