import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { updateChain as update } from '../../providers/chains.ts';

export const updateChain: NonNullable<MutationResolvers['updateChain']> = (_parent, args, ctx) => update(ctx, args);
