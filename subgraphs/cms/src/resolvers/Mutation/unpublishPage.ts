import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { unpublishPage as unpublish } from '../../providers/page-status.ts';

export const unpublishPage: NonNullable<MutationResolvers['unpublishPage']> = (_parent, args, ctx) =>
  unpublish(ctx, args.id);
