import { pageUrl } from './page-url.ts';
import type { SitePage } from './site-pages.ts';

/** The sitemaps.org 0.9 namespace, and XHTML's for the `hreflang` alternates (as search engines read them). */
const sitemapNamespace = 'http://www.sitemaps.org/schemas/sitemap/0.9';
const xhtmlNamespace = 'http://www.w3.org/1999/xhtml';

/** Escapes text for an XML element or a double-quoted attribute. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[character]};`);
}

/**
 * A sitemap (sitemaps.org protocol 0.9) of the pages, each translation at its own URL (see
 * pageUrl) with its `lastmod`, and an `xhtml:link rel="alternate"` for every listed
 * translation of the same slug, itself included, by locale, as search engines ask for
 * `hreflang` alternates (each URL lists the whole set). `x-default` names the
 * default-locale translation's URL when it is listed (published and indexable).
 */
export function sitemapXml(baseUrl: string, pages: readonly SitePage[], defaultLocale: string): string {
  const bySlug = new Map<string, SitePage[]>();
  for (const page of pages) bySlug.set(page.slug, [...(bySlug.get(page.slug) ?? []), page]);
  const urls = pages.map((page) => {
    const translations = [...bySlug.get(page.slug)!].sort((a, b) => a.locale.localeCompare(b.locale));
    const byDefault = translations.find((translation) => translation.locale === defaultLocale);
    const alternates = [
      ...translations.map((translation) => alternate(translation.locale, pageUrl(baseUrl, translation, defaultLocale))),
      ...(byDefault ? [alternate('x-default', pageUrl(baseUrl, byDefault, defaultLocale))] : []),
    ];
    return (
      `  <url>\n    <loc>${escapeXml(pageUrl(baseUrl, page, defaultLocale))}</loc>\n    <lastmod>${escapeXml(page.lastmod)}</lastmod>\n` +
      alternates.join('') +
      `  </url>\n`
    );
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="${sitemapNamespace}" xmlns:xhtml="${xhtmlNamespace}">\n${urls.join('')}</urlset>\n`;
}

function alternate(hreflang: string, href: string): string {
  return `    <xhtml:link rel="alternate" hreflang="${escapeXml(hreflang)}" href="${escapeXml(href)}"/>\n`;
}
