import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { deleteWorkflow as deleteWorkflowProvider } from '../../providers/workflows.ts';

export const deleteWorkflow: NonNullable<MutationResolvers['deleteWorkflow']> = (_parent, args, ctx) => deleteWorkflowProvider(ctx, args);
