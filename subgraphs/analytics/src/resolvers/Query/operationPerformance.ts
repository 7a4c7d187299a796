import type { QueryResolvers } from '../../__generated__/resolvers-types.ts';
import { readOperationPerformance } from '../../providers/performance-reads.ts';

export const operationPerformance: NonNullable<QueryResolvers['operationPerformance']> = (_parent, args, ctx) =>
  readOperationPerformance(ctx, args);
