import { scalarResolvers } from '@token-nexus/shared';
import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { createWorkflow } from './Mutation/createWorkflow.ts';
import { deleteWorkflow } from './Mutation/deleteWorkflow.ts';
import { setWorkflowEnabled } from './Mutation/setWorkflowEnabled.ts';
import { updateWorkflow } from './Mutation/updateWorkflow.ts';
import { workflow } from './Query/workflow.ts';
import { workflows } from './Query/workflows.ts';
import { workflowStepTypes } from './Query/workflowStepTypes.ts';
import { Subscription } from './Subscription.ts';
import { Workflow } from './Workflow.ts';
import { WorkflowRun } from './WorkflowRun.ts';
import { WorkflowStep } from './WorkflowStep.ts';
import { cancelWorkflowRun } from './Mutation/cancelWorkflowRun.ts';
import { retryWorkflowRun } from './Mutation/retryWorkflowRun.ts';
import { runWorkflow } from './Mutation/runWorkflow.ts';
import { workflowRun } from './Query/workflowRun.ts';
import { workflowRuns } from './Query/workflowRuns.ts';

export const resolvers: Resolvers = {
  ...scalarResolvers,
  Query: { workflows, workflow, workflowStepTypes, workflowRuns, workflowRun },
  Mutation: { createWorkflow, updateWorkflow, setWorkflowEnabled, deleteWorkflow, runWorkflow, cancelWorkflowRun, retryWorkflowRun },
  Subscription,
  Workflow,
  WorkflowRun,
  WorkflowStep,
};
