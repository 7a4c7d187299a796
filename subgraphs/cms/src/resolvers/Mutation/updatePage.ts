import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { updatePage as update } from '../../providers/update-page.ts';

export const updatePage: NonNullable<MutationResolvers['updatePage']> = (_parent, args, ctx) =>
  update(ctx, args);
