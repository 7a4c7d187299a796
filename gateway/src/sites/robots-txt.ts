/**
 * A site's robots.txt: every crawler may read everything, and the sitemap is named.
 * Nothing is disallowed, not even on a site with no indexable page: a page that asks to
 * stay out of search engines does so with `noindex` on the page, which a crawler only
 * sees when it may fetch the page; a Disallow would hide that and could leave the URL
 * indexed from links alone.
 */
export function robotsTxt(sitemapUrl: string): string {
  return `User-agent: *\nDisallow:\n\nSitemap: ${sitemapUrl}\n`;
}
