import type { QueryResolvers } from '../../__generated__/resolvers-types.ts';
import { listChains } from '../../providers/chains.ts';

export const chains: NonNullable<QueryResolvers['chains']> = (_parent, args, ctx) => listChains(ctx, args);
