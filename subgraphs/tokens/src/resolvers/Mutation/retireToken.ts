import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { retireToken as retire } from '../../providers/token-operations.ts';

export const retireToken: NonNullable<MutationResolvers['retireToken']> = (_parent, args, ctx) => retire(ctx, args);
