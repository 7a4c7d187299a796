import type { QueryResolvers } from '../../__generated__/resolvers-types.ts';
import { findRun } from '../../providers/runs.ts';

export const workflowRun: NonNullable<QueryResolvers['workflowRun']> = (_parent, args, ctx) => findRun(ctx, args.id);
