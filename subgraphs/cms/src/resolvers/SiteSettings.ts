import type { SiteSettingsResolvers } from '../__generated__/resolvers-types.ts';

export const SiteSettings: SiteSettingsResolvers = {
  orgId: (settings) => settings.organizationId,
};
