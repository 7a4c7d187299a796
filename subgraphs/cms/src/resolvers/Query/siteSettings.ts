import type { QueryResolvers } from '../../__generated__/resolvers-types.ts';
import { findSiteSettings } from '../../providers/site-settings.ts';

export const siteSettings: NonNullable<QueryResolvers['siteSettings']> = (_parent, args, ctx) => findSiteSettings(ctx, args.orgId);
