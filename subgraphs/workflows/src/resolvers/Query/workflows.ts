import type { QueryResolvers } from '../../__generated__/resolvers-types.ts';
import { listWorkflows } from '../../providers/workflows.ts';

export const workflows: NonNullable<QueryResolvers['workflows']> = (_parent, args, ctx) => listWorkflows(ctx, args);
