import type { Prisma } from '@token-nexus/prisma';
import type { StoredStep, StoredTrigger } from '../models.ts';

/** A version of a workflow as `WorkflowVersion.definition` keeps it (secret headers sealed). */
export interface VersionDefinition {
  name: string;
  description: string;
  trigger: StoredTrigger;
  steps: StoredStep[];
  scopes: string[];
}

/** The definition a run executes: the version it started with, whatever changed since. */
export async function loadVersionDefinition(
  db: Prisma.TransactionClient,
  workflowId: string,
  version: number,
): Promise<VersionDefinition> {
  const row = await db.workflowVersion.findUniqueOrThrow({ where: { workflowId_version: { workflowId, version } } });
  return row.definition as unknown as VersionDefinition;
}

/** A step of a definition by key; throws when missing (a run's step always comes from its own version). */
export function stepOf(definition: VersionDefinition, key: string): StoredStep {
  const step = definition.steps.find((candidate) => candidate.key === key);
  if (!step) throw new Error(`The step ${key} is not in this version of the workflow`);
  return step;
}
