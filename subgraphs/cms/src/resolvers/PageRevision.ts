import type { PageRevisionResolvers } from '../__generated__/resolvers-types.ts';
import { seoOf } from '../validation/stored-seo.ts';

export const PageRevision: PageRevisionResolvers = {
  // Revisions are only reached through their page, already authorized.
  page: async (revision, _args, ctx) => (await ctx.loaders.pageById.load(revision.pageId))!,
  seo: (revision) => ({ ...seoOf(revision.seo), publishedIn: null }),
  publishedBy: (revision) => ({ id: revision.publishedById }),
};
