import type { QueryResolvers } from '../../__generated__/resolvers-types.ts';
import { listRuns } from '../../providers/runs.ts';

export const workflowRuns: NonNullable<QueryResolvers['workflowRuns']> = (_parent, args, ctx) => listRuns(ctx, args);
