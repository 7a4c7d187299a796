import type { WorkflowResolvers } from '../__generated__/resolvers-types.ts';
import type { StoredStep, StoredTrigger } from '../models.ts';
import { publicStep } from '../providers/step-secrets.ts';
import { pageOfRuns } from '../providers/runs.ts';
import { inboundPath, openInboundSecret } from '../inbound/inbound-secret.ts';
import { policy } from '../policy.ts';

export const Workflow: WorkflowResolvers = {
  organization: (workflow) => ({ id: workflow.organizationId }),
  createdBy: (workflow) => ({ id: workflow.createdById }),
  trigger: (workflow) => workflow.trigger as unknown as StoredTrigger,
  // Secret header values never leave the subgraph, not even encrypted.
  steps: (workflow) => (workflow.steps as unknown as StoredStep[]).map(publicStep),
  // The secret is the sender's: the organization's managers see it, members do not.
  inbound: async (workflow, _args, ctx) => {
    if (!workflow.inboundSecret || !(await policy.canManage(ctx, workflow.organizationId))) return null;
    return { path: inboundPath(workflow.id), secret: openInboundSecret(ctx.keys, workflow.id, workflow.inboundSecret) };
  },
  runs: (workflow, args, ctx) => pageOfRuns(ctx, { workflowId: workflow.id, ...(args.status ? { status: args.status } : {}) }, args),
};
