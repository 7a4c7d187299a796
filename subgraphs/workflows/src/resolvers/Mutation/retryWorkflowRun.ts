import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { retryWorkflowRun as retryWorkflowRunProvider } from '../../providers/runs.ts';

export const retryWorkflowRun: NonNullable<MutationResolvers['retryWorkflowRun']> = (_parent, args, ctx) => retryWorkflowRunProvider(ctx, args);
