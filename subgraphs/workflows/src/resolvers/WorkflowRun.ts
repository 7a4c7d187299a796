import type { WorkflowRunResolvers } from '../__generated__/resolvers-types.ts';

export const WorkflowRun: WorkflowRunResolvers = {
  organization: (run) => ({ id: run.organizationId }),
  // A deleted workflow is gone from the API; its runs stay readable and keep its id.
  workflow: async (run, _args, ctx) => {
    const workflow = await ctx.loaders.workflowById.load(run.workflowId);
    return workflow && !workflow.deletedAt ? workflow : null;
  },
  triggerType: (run) => run.triggerType as 'EVENT' | 'SCHEDULE' | 'MANUAL' | 'INBOUND',
  trigger: (run) => run.triggerPayload,
  requestedBy: (run) => (run.requestedById ? { id: run.requestedById } : null),
  steps: (run, _args, ctx) => ctx.loaders.stepRunsByRunId.load(run.id),
};
