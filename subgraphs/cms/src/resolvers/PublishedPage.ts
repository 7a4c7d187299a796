import type { PublishedPageResolvers } from '../__generated__/resolvers-types.ts';
import { seoOf } from '../validation/stored-seo.ts';

/**
 * The page gives the address (id, kind, slug, locale, which apply as soon as they are
 * saved); everything shown on the page comes from the live revision, never the draft.
 */
export const PublishedPage: PublishedPageResolvers = {
  id: ({ page }) => page.id,
  kind: ({ page }) => page.kind,
  slug: ({ page }) => page.slug,
  locale: ({ page }) => page.locale,
  title: ({ revision }) => revision.title,
  seo: ({ revision }) => seoOf(revision.seo),
  document: ({ revision }) => revision.document,
  publishedAt: ({ revision }) => revision.publishedAt,
  revision: ({ revision }) => revision.number,
};
