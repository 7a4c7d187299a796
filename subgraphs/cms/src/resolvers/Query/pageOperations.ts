import type { QueryResolvers } from '../../__generated__/resolvers-types.ts';
import { listOperations } from '../../live/live-queries.ts';

export const pageOperations: NonNullable<QueryResolvers['pageOperations']> = (_parent, args, ctx) =>
  listOperations(ctx, args);
