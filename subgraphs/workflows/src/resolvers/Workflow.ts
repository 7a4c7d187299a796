import type { WorkflowResolvers } from '../__generated__/resolvers-types.ts';
import type { StoredStep, StoredTrigger } from '../models.ts';
import { publicStep } from '../providers/step-secrets.ts';

export const Workflow: WorkflowResolvers = {
  organization: (workflow) => ({ id: workflow.organizationId }),
  createdBy: (workflow) => ({ id: workflow.createdById }),
  trigger: (workflow) => workflow.trigger as unknown as StoredTrigger,
  // Secret header values never leave the subgraph, not even encrypted.
  steps: (workflow) => (workflow.steps as unknown as StoredStep[]).map(publicStep),
};
