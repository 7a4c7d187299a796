import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { updateSiteSettings as update } from '../../providers/site-settings.ts';

export const updateSiteSettings: NonNullable<MutationResolvers['updateSiteSettings']> = (_parent, args, ctx) => update(ctx, args);
