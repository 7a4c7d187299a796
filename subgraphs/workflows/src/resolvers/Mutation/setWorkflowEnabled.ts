import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { setWorkflowEnabled as setWorkflowEnabledProvider } from '../../providers/workflows.ts';

export const setWorkflowEnabled: NonNullable<MutationResolvers['setWorkflowEnabled']> = (_parent, args, ctx) => setWorkflowEnabledProvider(ctx, args);
