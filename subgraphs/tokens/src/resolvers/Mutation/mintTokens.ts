import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { requestTokenCall } from '../../providers/token-operations.ts';

export const mintTokens: NonNullable<MutationResolvers['mintTokens']> = (_parent, args, ctx) => requestTokenCall(ctx, 'MINT', args);
