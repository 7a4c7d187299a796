import DataLoader from 'dataloader';
import type { PrismaClient, Workflow, WorkflowStepRun } from '@token-nexus/prisma';

/**
 * The request's loaders: one set per request, so nothing cached outlives it. A page of
 * runs with their steps and workflows costs one statement per hop, not one per run.
 */
export function createLoaders(prisma: PrismaClient) {
  return {
    stepRunsByRunId: new DataLoader<string, WorkflowStepRun[]>(async (runIds) => {
      const rows = await prisma.workflowStepRun.findMany({ where: { runId: { in: [...runIds] } }, orderBy: { sequence: 'asc' } });
      return runIds.map((id) => rows.filter((row) => row.runId === id));
    }),
    /** Deleted workflows too: a run names its workflow after the workflow is gone (the resolver hides it). */
    workflowById: new DataLoader<string, Workflow | null>(async (ids) => {
      const rows = await prisma.workflow.findMany({ where: { id: { in: [...ids] } } });
      return ids.map((id) => rows.find((row) => row.id === id) ?? null);
    }),
  };
}

export type WorkflowsLoaders = ReturnType<typeof createLoaders>;
