import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { removeMember as remove } from '../../providers/memberships.ts';

export const removeMember: NonNullable<MutationResolvers['removeMember']> = (_parent, args, ctx) =>
  remove(ctx, args);
