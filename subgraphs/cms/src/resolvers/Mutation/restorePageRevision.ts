import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { restoreRevision } from '../../providers/page-revisions.ts';

export const restorePageRevision: NonNullable<MutationResolvers['restorePageRevision']> = (_parent, args, ctx) =>
  restoreRevision(ctx, args);
