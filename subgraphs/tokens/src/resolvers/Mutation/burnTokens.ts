import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { requestTokenCall } from '../../providers/token-operations.ts';

export const burnTokens: NonNullable<MutationResolvers['burnTokens']> = (_parent, args, ctx) => requestTokenCall(ctx, 'BURN', args);
