import type { QueryResolvers } from '../../__generated__/resolvers-types.ts';
import { listTokens } from '../../providers/tokens.ts';

export const tokens: NonNullable<QueryResolvers['tokens']> = (_parent, args, ctx) => listTokens(ctx, args);
