import type { QueryResolvers } from '../../__generated__/resolvers-types.ts';
import { listUsage } from '../../providers/usage.ts';

export const aiUsage: NonNullable<QueryResolvers['aiUsage']> = (_parent, args, ctx) => listUsage(ctx, args);
