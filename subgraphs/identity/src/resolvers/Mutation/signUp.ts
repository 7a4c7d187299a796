import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { signUp as create } from '../../providers/users.ts';

export const signUp: NonNullable<MutationResolvers['signUp']> = (_parent, args, ctx) =>
  create(ctx, args.input);
