import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { sendJson } from '@token-nexus/shared';
import type { Route, RouteRequest } from '../http/router.ts';
import { robotsTxt } from './robots-txt.ts';
import { gatewayOrigin, siteBaseUrl } from './site-base-url.ts';
import type { SitePagesLookup } from './site-pages.ts';
import { sitemapXml } from './sitemap-xml.ts';

/**
 * `/sites/<orgSlug>/sitemap.xml` and `/sites/<orgSlug>/robots.txt`. The slug's shape is
 * identity's (3 to 63 lower-case letters, digits, hyphens) loosely: anything else is not
 * a site and gets the router's 404, a well-shaped unknown one the cms subgraph's.
 */
const sitePath = /^\/sites\/([a-z0-9-]{1,63})\/(sitemap\.xml|robots\.txt)$/;

/**
 * How long browsers and CDNs may keep either file: a publish shows in search engines'
 * next read within five minutes, and revalidating after that costs a 304 (ETag) when
 * nothing changed.
 */
const cacheControl = 'public, max-age=300';

const contentTypes = { 'sitemap.xml': 'application/xml; charset=utf-8', 'robots.txt': 'text/plain; charset=utf-8' } as const;

/**
 * A public site's sitemap (its published pages that may be indexed) and robots.txt, for
 * anyone, from the cms subgraph's pages (see site-pages.ts). Both carry a strong ETag over
 * the body and answer a matching If-None-Match with 304; HEAD answers as GET without the
 * body. robots.txt names the sitemap at the gateway's absolute URL, where it is served
 * whatever SITES_BASE_URL says (a robots.txt may name a sitemap on another host).
 */
export function sitesRoute(options: { sitePages: SitePagesLookup; sitesBaseUrl: string | undefined; trustedProxyHops: number }): Route {
  return {
    matches: (path) => sitePath.test(path),
    handle: (routeRequest) => serveSiteFile(routeRequest, options),
  };
}

async function serveSiteFile(
  { request, response, path, requestId, logger }: RouteRequest,
  options: { sitePages: SitePagesLookup; sitesBaseUrl: string | undefined; trustedProxyHops: number },
): Promise<void> {
  const [, orgSlug, file] = sitePath.exec(path) as unknown as [string, string, keyof typeof contentTypes];
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return sendJson(response, 405, { error: 'use GET or HEAD', requestId }, { allow: 'GET, HEAD' });
  }
  const site = await options.sitePages(orgSlug, requestId);
  if (!site) return sendJson(response, 404, { error: 'not found', requestId });
  let body: string;
  if (file === 'sitemap.xml') {
    if (site.truncated) logger.warn({ orgSlug, listed: site.pages.length }, 'sitemap cut at the protocol limit of 50,000 URLs');
    body = sitemapXml(siteBaseUrl(request, site.organizationSlug, options), site.pages, site.defaultLocale);
  } else {
    body = robotsTxt(`${gatewayOrigin(request, options.trustedProxyHops)}/sites/${site.organizationSlug}/sitemap.xml`);
  }
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  const headers = { etag, 'cache-control': cacheControl };
  if (holdsVersion(request, etag)) {
    response.writeHead(304, headers).end();
    return;
  }
  const bytes = Buffer.from(body, 'utf8');
  response.writeHead(200, { ...headers, 'content-type': contentTypes[file], 'content-length': bytes.length });
  response.end(request.method === 'HEAD' ? undefined : bytes);
}

/** If-None-Match compares weakly (RFC 9110 §13.1.2): a `W/` copy of the tag, or `*`, matches. */
function holdsVersion(request: IncomingMessage, etag: string): boolean {
  const held = request.headers['if-none-match'];
  if (!held) return false;
  return held.split(',').some((tag) => {
    const trimmed = tag.trim();
    return trimmed === '*' || trimmed.replace(/^W\//, '') === etag;
  });
}
