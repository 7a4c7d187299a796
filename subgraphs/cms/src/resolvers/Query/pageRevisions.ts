import type { QueryResolvers } from '../../__generated__/resolvers-types.ts';
import { listRevisions } from '../../providers/page-revisions.ts';

export const pageRevisions: NonNullable<QueryResolvers['pageRevisions']> = (_parent, args, ctx) =>
  listRevisions(ctx, args);
