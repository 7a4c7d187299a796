import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { createPageTranslation as create } from '../../providers/create-page-translation.ts';

export const createPageTranslation: NonNullable<MutationResolvers['createPageTranslation']> = (_parent, args, ctx) => create(ctx, args);
