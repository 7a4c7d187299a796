import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { deployToken as deploy } from '../../providers/token-operations.ts';

export const deployToken: NonNullable<MutationResolvers['deployToken']> = (_parent, args, ctx) => deploy(ctx, args);
