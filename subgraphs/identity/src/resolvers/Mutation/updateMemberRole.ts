import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { updateMemberRole as update } from '../../providers/memberships.ts';

export const updateMemberRole: NonNullable<MutationResolvers['updateMemberRole']> = (
  _parent,
  args,
  ctx,
) => update(ctx, args);
