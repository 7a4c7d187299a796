import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { runWorkflow as runWorkflowProvider } from '../../providers/runs.ts';

export const runWorkflow: NonNullable<MutationResolvers['runWorkflow']> = (_parent, args, ctx) => runWorkflowProvider(ctx, args);
