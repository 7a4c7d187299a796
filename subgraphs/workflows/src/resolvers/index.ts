import { scalarResolvers } from '@token-nexus/shared';
import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { createWorkflow } from './Mutation/createWorkflow.ts';
import { deleteWorkflow } from './Mutation/deleteWorkflow.ts';
import { setWorkflowEnabled } from './Mutation/setWorkflowEnabled.ts';
import { updateWorkflow } from './Mutation/updateWorkflow.ts';
import { workflow } from './Query/workflow.ts';
import { workflows } from './Query/workflows.ts';
import { workflowStepTypes } from './Query/workflowStepTypes.ts';
import { Workflow } from './Workflow.ts';

export const resolvers: Resolvers = {
  ...scalarResolvers,
  Query: { workflows, workflow, workflowStepTypes },
  Mutation: { createWorkflow, updateWorkflow, setWorkflowEnabled, deleteWorkflow },
  Workflow,
};
