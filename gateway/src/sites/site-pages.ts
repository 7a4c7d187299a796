import { randomUUID } from 'node:crypto';
import { anonymousClaims, signedClaimsHeaders } from '@token-nexus/shared';
import type { Agent } from 'undici';
import { z } from 'zod';
import { postToSubgraph } from '../subgraph-response.ts';

/** What the cms subgraph answers for a site's sitemap (its providers/sitemap-route.ts). */
const sitePagesSchema = z.union([
  z.object({
    organization: z.object({ slug: z.string(), defaultLocale: z.string() }),
    pages: z.array(z.object({ slug: z.string(), locale: z.string(), lastmod: z.string() })),
    truncated: z.boolean(),
  }),
  z.object({ organization: z.null() }),
]);

/**
 * An organization's indexable pages, newest publication first, and its default locale
 * (whose translations live at the address without a locale segment); null for an unknown
 * or inactive organization.
 */
export type SitePages = { organizationSlug: string; defaultLocale: string; pages: SitePage[]; truncated: boolean } | null;

/** A published page a search engine may index; the pages sharing a slug are translations of each other. */
export interface SitePage {
  slug: string;
  locale: string;
  /** When its live revision was published (ISO 8601, UTC). */
  lastmod: string;
}

/**
 * Asks the cms subgraph, which owns pages, for a site's indexable pages
 * (`/internal/sitemap-pages`), signed like any gateway → subgraph request as an anonymous
 * caller: the answer is public, the same for everyone. Nothing is cached here; the
 * answers' Cache-Control and ETag let browsers and CDNs in front keep them.
 */
export function createSitePages(options: { cmsUrl: string; signingSecret: string; agent: Agent; timeoutMs: number }) {
  const url = new URL('/internal/sitemap-pages', options.cmsUrl).toString();
  return async function sitePages(orgSlug: string, requestId: string): Promise<SitePages> {
    const body = JSON.stringify({ orgSlug, requestId });
    const claims = anonymousClaims(requestId || randomUUID());
    const response = await postToSubgraph(url, {
      headers: { 'content-type': 'application/json', ...signedClaimsHeaders(options.signingSecret, claims, body) },
      body,
      agent: options.agent,
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    if (!response.ok) throw new Error(`${url} answered ${response.status} to a sitemap question`);
    const answer = sitePagesSchema.parse(await response.json());
    if (!('pages' in answer)) return null;
    return { organizationSlug: answer.organization.slug, defaultLocale: answer.organization.defaultLocale, pages: answer.pages, truncated: answer.truncated };
  };
}

export type SitePagesLookup = ReturnType<typeof createSitePages>;
