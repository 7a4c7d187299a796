import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { requestTokenCall } from '../../providers/token-operations.ts';

export const transferTokens: NonNullable<MutationResolvers['transferTokens']> = (_parent, args, ctx) => requestTokenCall(ctx, 'TRANSFER', args);
