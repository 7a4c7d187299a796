import type { PublishedPageResolvers, ResolversTypes } from '../__generated__/resolvers-types.ts';
import { publishedAssets } from '../providers/published-assets.ts';
import type { PageDocument } from '../validation/page-document.ts';
import { publicDocument } from '../validation/public-document.ts';
import { seoOf } from '../validation/stored-seo.ts';

/**
 * The page gives the address (id, kind, slug, locale, which apply as soon as they are
 * saved); everything shown on the page comes from the live revision, never the draft
 * (or, for a visitor of a running experiment, from their variant: see experiment-variants.ts),
 * and without what only the organization may see (see publicDocument).
 */
export const PublishedPage: PublishedPageResolvers = {
  id: ({ page }) => page.id,
  kind: ({ page }) => page.kind,
  slug: ({ page }) => page.slug,
  locale: ({ page }) => page.locale,
  requestedLocale: ({ requestedLocale }) => requestedLocale ?? null,
  availableLocales: ({ page, availableLocales }) => availableLocales ?? [page.locale],
  title: ({ revision }) => revision.title,
  seo: ({ page, revision }) => ({ ...seoOf(revision.seo), publishedIn: page.organizationId }),
  document: ({ revision }) => publicDocument(revision.document as unknown as PageDocument),
  publishedAt: ({ revision }) => revision.publishedAt,
  revision: ({ revision }) => revision.number,
  // References for the media subgraph to resolve; `usages`, the one field of the generated
  // MediaAsset type that is the cms's, has its own resolver (MediaAsset.ts), so it is not
  // given here. (A codegen mapper to MediaAssetReference would say so without the cast.)
  assets: async (published, _args, ctx) => (await publishedAssets(ctx, published)) as ResolversTypes['MediaAsset'][],
  variant: (published) => published.variant ?? null,
  experiment: (published) => published.experiment ?? null,
};
