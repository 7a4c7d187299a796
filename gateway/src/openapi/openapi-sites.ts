import type { HeaderObject, ParameterObject, PathsObject, ResponseObject } from 'openapi3-ts/oas31';

const orgSlug: ParameterObject = {
  name: 'orgSlug',
  in: 'path',
  required: true,
  description: "The organization's slug, as in `publishedPage(orgSlug:)`.",
  schema: { type: 'string', pattern: '^[a-z0-9-]{1,63}$' },
};

const ifNoneMatch: ParameterObject = {
  name: 'If-None-Match',
  in: 'header',
  description: 'The ETag of the copy held: answered 304 while it is current.',
  schema: { type: 'string' },
};

const cachingHeaders: Record<string, HeaderObject> = {
  ETag: { description: 'A strong validator over the body: it changes exactly when the file does.', schema: { type: 'string' } },
  'Cache-Control': { description: '`public, max-age=300`.', schema: { const: 'public, max-age=300' } },
};

const notModified: ResponseObject = { description: '`If-None-Match` named the ETag: the copy held is current (no body).', headers: cachingHeaders };

const notFound: ResponseObject = {
  description: 'No active organization has this slug, or the path is not a site file.',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/RouteError' } } },
};

const methodNotAllowed: ResponseObject = {
  description: 'Only GET and HEAD are served (`Allow: GET, HEAD`).',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/RouteError' } } },
};

/** A site file's GET and HEAD operations. */
function siteFile(options: { id: string; summary: string; description: string; contentType: string; body: string }): PathsObject[string] {
  return {
    get: {
      tags: ['Sites'],
      operationId: options.id,
      summary: options.summary,
      description: options.description,
      parameters: [orgSlug, ifNoneMatch],
      security: [{}],
      responses: {
        '200': { description: 'The file.', headers: cachingHeaders, content: { [options.contentType]: { schema: { type: 'string', description: options.body } } } },
        '304': notModified,
        '404': notFound,
        '405': methodNotAllowed,
      },
    },
    head: {
      tags: ['Sites'],
      operationId: `head${options.id[0]!.toUpperCase()}${options.id.slice(1)}`,
      summary: `${options.summary}: its headers`,
      description: 'As GET, without the body.',
      parameters: [orgSlug, ifNoneMatch],
      security: [{}],
      responses: {
        '200': { description: 'The file is there. As GET, without the body.', headers: cachingHeaders },
        '304': notModified,
        '404': { description: `${notFound.description} As GET, without the body.` },
      },
    },
  };
}

/** The public sites' files for search engines: sitemap.xml and robots.txt (see sites/sites-route.ts). */
export const sitesPaths: PathsObject = {
  '/sites/{orgSlug}/sitemap.xml': siteFile({
    id: 'siteSitemap',
    summary: "An organization's sitemap",
    description:
      "The sitemaps.org 0.9 sitemap of the organization's published pages that do not ask to stay out of search engines (`seo.noIndex`): each translation at SITES_BASE_URL (else this gateway's `/sites/{orgSlug}`) plus `/<slug>` in the organization's default locale (`siteSettings.defaultLocale`, `en` unless set) and `/<locale>/<slug>` in any other (e.g. `/pt-BR/pricing`), with `lastmod` (when its live revision was published), an `xhtml:link rel=\"alternate\" hreflang` for every listed translation of the same slug (itself included) and `hreflang=\"x-default\"` for the default-locale translation when it is listed. At most 50,000 URLs, the protocol's limit: beyond it, the most recently published.",
    contentType: 'application/xml',
    body: 'A `<urlset>` in the sitemap 0.9 namespace, with the XHTML namespace for alternates.',
  }),
  '/sites/{orgSlug}/robots.txt': siteFile({
    id: 'siteRobots',
    summary: "An organization's robots.txt",
    description: "Allows every crawler everything, and names the sitemap's absolute URL on this gateway (`Sitemap:`).",
    contentType: 'text/plain',
    body: '`User-agent: *`, an empty `Disallow:` and a `Sitemap:` line.',
  }),
};
