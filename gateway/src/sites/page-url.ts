/**
 * The public URL of a page translation: the site's default-locale translation at
 * `<base>/<slug>`, any other at `<base>/<locale>/<slug>` (the canonical BCP 47 tag,
 * e.g. `/pt-BR/pricing`). `baseUrl` has no trailing slash (see siteBaseUrl).
 */
export function pageUrl(baseUrl: string, page: { slug: string; locale: string }, defaultLocale: string): string {
  return page.locale === defaultLocale ? `${baseUrl}/${page.slug}` : `${baseUrl}/${page.locale}/${page.slug}`;
}
