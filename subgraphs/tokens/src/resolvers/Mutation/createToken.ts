import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { createToken as create } from '../../providers/tokens.ts';

export const createToken: NonNullable<MutationResolvers['createToken']> = (_parent, args, ctx) => create(ctx, args.input);
