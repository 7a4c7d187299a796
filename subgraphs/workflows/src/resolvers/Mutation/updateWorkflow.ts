import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { updateWorkflow as updateWorkflowProvider } from '../../providers/workflows.ts';

export const updateWorkflow: NonNullable<MutationResolvers['updateWorkflow']> = (_parent, args, ctx) => updateWorkflowProvider(ctx, args);
