import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { addMember as add } from '../../providers/memberships.ts';

export const addMember: NonNullable<MutationResolvers['addMember']> = (_parent, args, ctx) =>
  add(ctx, args);
