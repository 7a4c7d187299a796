import type { PageResolvers } from '../__generated__/resolvers-types.ts';
import { seoOf } from '../validation/stored-seo.ts';

export const Page: PageResolvers = {
  /** Identity owns organizations: the gateway asks it for the rest (it applies its own rules). */
  organization: (page) => ({ id: page.organizationId }),
  createdBy: (page) => ({ id: page.createdById }),
  seo: (page) => ({ ...seoOf(page.seo), publishedIn: null }),
  // The same organization's pages: whoever reads this one reads them.
  translations: async (page, _args, ctx) =>
    (await ctx.loaders.pagesBySlug.load({ organizationId: page.organizationId, slug: page.slug })).filter((other) => other.id !== page.id),
  publishedRevision: (page, _args, ctx) =>
    page.status === 'PUBLISHED' ? ctx.loaders.latestRevisionByPageId.load(page.id) : null,
  revisionCount: (page, _args, ctx) => ctx.loaders.revisionCountByPageId.load(page.id),
  template: (page, _args, ctx) => (page.templateId ? ctx.loaders.templateById.load(page.templateId) : null),
};
