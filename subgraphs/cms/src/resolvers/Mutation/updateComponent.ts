import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { updateComponent as update } from '../../providers/components.ts';

export const updateComponent: NonNullable<MutationResolvers['updateComponent']> = (_parent, args, ctx) =>
  update(ctx, args);
