import type { SitePage } from './site-pages.ts';

/** The sitemaps.org 0.9 namespace, and XHTML's for the `hreflang` alternates (as search engines read them). */
const sitemapNamespace = 'http://www.sitemaps.org/schemas/sitemap/0.9';
const xhtmlNamespace = 'http://www.w3.org/1999/xhtml';

/** Escapes text for an XML element or a double-quoted attribute. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[character]};`);
}

/**
 * A sitemap (sitemaps.org protocol 0.9) of the pages, each at `<base>/<slug>` with its
 * `lastmod`, and an `xhtml:link rel="alternate"` naming its own locale: a page holds one
 * locale today, so each is its only alternate; when pages hold translations, the other
 * locales' URLs belong beside it.
 */
export function sitemapXml(baseUrl: string, pages: readonly SitePage[]): string {
  const urls = pages.map((page) => {
    const location = escapeXml(`${baseUrl}/${page.slug}`);
    return (
      `  <url>\n    <loc>${location}</loc>\n    <lastmod>${escapeXml(page.lastmod)}</lastmod>\n` +
      `    <xhtml:link rel="alternate" hreflang="${escapeXml(page.locale)}" href="${location}"/>\n  </url>\n`
    );
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="${sitemapNamespace}" xmlns:xhtml="${xhtmlNamespace}">\n${urls.join('')}</urlset>\n`;
}
