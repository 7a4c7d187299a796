import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PrismaClient } from '@token-nexus/prisma';
import { anonymousClaims, handleInternalRoute, type PublicOrganizationLookup } from '@token-nexus/shared';
import { z } from 'zod';
import { siteSettingsOf } from './site-settings.ts';
import { sitemapPagesOf } from './sitemap-pages.ts';

/** Where the gateway asks for a public site's sitemap entries (its sites/site-pages.ts). */
export const sitemapPagesPath = '/internal/sitemap-pages';

/**
 * `POST /internal/sitemap-pages` `{ orgSlug, requestId }` → `{ organization: null }` for a
 * slug that names no active organization, else `{ organization: { slug, defaultLocale },
 * pages: [{ slug, locale, lastmod }], truncated }` (see sitemapPagesOf): the pages sharing a
 * slug are translations of each other, and `defaultLocale` says which of them lives at the
 * address without a locale segment. The gateway serves it as
 * `/sites/{orgSlug}/sitemap.xml` and `robots.txt`; only services of the graph may ask (the
 * body is signed with the secret they share). The organization is looked up as an
 * anonymous caller, as `publishedPage` does, so the answer is the same for everyone.
 */
export function handleSitemapPagesRoute(
  request: IncomingMessage,
  response: ServerResponse,
  deps: { prisma: PrismaClient; signingSecret: string; publicOrganizations: PublicOrganizationLookup },
): Promise<boolean> {
  return handleInternalRoute(request, response, {
    path: sitemapPagesPath,
    signingSecret: deps.signingSecret,
    limitBytes: 4 * 1024,
    body: z.object({ orgSlug: z.string().min(1).max(200), requestId: z.string().min(1).max(128) }),
    expected: '{ orgSlug, requestId }',
    handle: async ({ orgSlug, requestId }) => {
      const claims = anonymousClaims(requestId);
      const organization = await deps.publicOrganizations.bySlug(claims, orgSlug);
      if (!organization) return { organization: null };
      const settings = await siteSettingsOf(deps.prisma, organization.id);
      return { organization: { slug: organization.slug, defaultLocale: settings.defaultLocale }, ...(await sitemapPagesOf(deps.prisma, organization.id)) };
    },
  });
}
