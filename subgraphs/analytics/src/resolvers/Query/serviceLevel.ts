import type { QueryResolvers } from '../../__generated__/resolvers-types.ts';
import { readServiceLevel } from '../../providers/performance-reads.ts';

export const serviceLevel: NonNullable<QueryResolvers['serviceLevel']> = (_parent, args, ctx) => readServiceLevel(ctx, args);
