import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { rotateRefreshToken } from '../../providers/sessions.ts';

export const refreshSession: NonNullable<MutationResolvers['refreshSession']> = (
  _parent,
  args,
  ctx,
) => rotateRefreshToken(ctx, args.refreshToken);
