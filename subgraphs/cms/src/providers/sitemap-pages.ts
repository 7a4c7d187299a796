import { Prisma, type PrismaClient } from '@token-nexus/prisma';

/**
 * The most URLs one sitemap may list (sitemaps.org protocol 0.9: "no more than 50,000
 * URLs"). An organization with more gets its most recently published ones; a sitemap
 * index over several files is not built yet.
 */
export const sitemapUrlLimit = 50_000;

/** A page a search engine may index, as the sitemap lists it. */
export interface SitemapPage {
  slug: string;
  /** The page's BCP 47 language tag, for `hreflang`. */
  locale: string;
  /** When its live revision was published (ISO 8601, UTC). */
  lastmod: string;
}

/** The pages of a sitemap, and whether some were left out for the protocol's limit. */
export interface SitemapPages {
  pages: SitemapPage[];
  truncated: boolean;
}

/**
 * The PUBLISHED pages of an organization whose live revision does not ask to stay out of
 * search engines (`seo.noIndex`), newest publication first, at most `sitemapUrlLimit`.
 * The live revision's SEO is read, not the draft's: an unpublished `noIndex` edit does
 * not change what the public site shows yet, so it does not change the sitemap either.
 */
export async function sitemapPagesOf(prisma: PrismaClient, organizationId: string): Promise<SitemapPages> {
  const rows = await prisma.$queryRaw<{ slug: string; locale: string; published_at: Date }[]>(Prisma.sql`
    SELECT p.slug, p.locale, live.published_at
    FROM cms.pages p
    CROSS JOIN LATERAL (
      SELECT r.seo, r.published_at FROM cms.page_revisions r WHERE r.page_id = p.id ORDER BY r.number DESC LIMIT 1
    ) live
    WHERE p.organization_id = ${organizationId}::uuid
      AND p.status = 'PUBLISHED'
      AND (live.seo -> 'noIndex') IS DISTINCT FROM 'true'::jsonb
    ORDER BY live.published_at DESC, p.slug
    LIMIT ${sitemapUrlLimit + 1}`);
  return {
    pages: rows.slice(0, sitemapUrlLimit).map((row) => ({ slug: row.slug, locale: row.locale, lastmod: row.published_at.toISOString() })),
    truncated: rows.length > sitemapUrlLimit,
  };
}
