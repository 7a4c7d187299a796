import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { logIn as authenticate } from '../../providers/users.ts';

export const logIn: NonNullable<MutationResolvers['logIn']> = (_parent, args, ctx) =>
  authenticate(ctx, args.input);
