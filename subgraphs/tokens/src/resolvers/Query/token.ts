import type { QueryResolvers } from '../../__generated__/resolvers-types.ts';
import { findToken } from '../../providers/tokens.ts';

export const token: NonNullable<QueryResolvers['token']> = (_parent, args, ctx) => findToken(ctx, args.id);
