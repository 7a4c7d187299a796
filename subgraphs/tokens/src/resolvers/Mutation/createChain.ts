import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { createChain as create } from '../../providers/chains.ts';

export const createChain: NonNullable<MutationResolvers['createChain']> = (_parent, args, ctx) => create(ctx, args.input);
