import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { deployTokenFactory as deploy } from '../../providers/token-factories.ts';

export const deployTokenFactory: NonNullable<MutationResolvers['deployTokenFactory']> = (_parent, args, ctx) => deploy(ctx, args);
