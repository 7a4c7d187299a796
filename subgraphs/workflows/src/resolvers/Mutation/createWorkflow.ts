import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { createWorkflow as createWorkflowProvider } from '../../providers/workflows.ts';

export const createWorkflow: NonNullable<MutationResolvers['createWorkflow']> = (_parent, args, ctx) => createWorkflowProvider(ctx, args);
