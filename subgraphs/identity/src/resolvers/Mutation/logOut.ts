import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { endSession } from '../../providers/sessions.ts';

export const logOut: NonNullable<MutationResolvers['logOut']> = (_parent, args, ctx) =>
  endSession(ctx, args.refreshToken);
