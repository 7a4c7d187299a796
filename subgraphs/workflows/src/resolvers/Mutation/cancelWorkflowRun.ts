import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { cancelWorkflowRun as cancelWorkflowRunProvider } from '../../providers/runs.ts';

export const cancelWorkflowRun: NonNullable<MutationResolvers['cancelWorkflowRun']> = (_parent, args, ctx) => cancelWorkflowRunProvider(ctx, args);
