import type { PageSeoResolvers } from '../__generated__/resolvers-types.ts';
import type { CmsContext } from '../context.ts';
import type { PageSeoModel } from '../models.ts';

/**
 * The image URLs of SEO: on a published page, an asset's public URL while it is READY
 * (an asset can be deleted while SEO names it: then `imageUrl` falls back to `image`, and
 * the OpenGraph and Twitter URLs are null); on a draft or a revision, no asset URL at all.
 */
export const PageSeo: PageSeoResolvers = {
  imageUrl: async (seo, _args, ctx) => (await publicImageUrl(ctx, seo, seo.imageId)) ?? seo.image,
  openGraph: async (seo, _args, ctx) =>
    seo.openGraph && { ...seo.openGraph, imageUrl: await publicImageUrl(ctx, seo, seo.openGraph.imageId) },
  twitter: async (seo, _args, ctx) => seo.twitter && { ...seo.twitter, imageUrl: await publicImageUrl(ctx, seo, seo.twitter.imageId) },
};

function publicImageUrl(ctx: CmsContext, seo: PageSeoModel, imageId: string | null): Promise<string | null> | null {
  if (!seo.publishedIn || !imageId) return null;
  return ctx.loaders.publicMediaUrlByAsset.load({ organizationId: seo.publishedIn, id: imageId });
}
