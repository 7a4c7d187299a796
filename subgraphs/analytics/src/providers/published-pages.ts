import { LRUCache } from 'lru-cache';
import {
  createPublicOrganizationLookup,
  signedGraphQLRequest,
  type Claims,
} from '@token-nexus/shared';

/** The experiment a published page runs, as anyone may know it: ids, keys, weights and the goal. */
export interface PublishedExperimentRef {
  id: string;
  variants: { key: string; weight: number }[];
  goal: { formId: string | null; eventName: string | null };
}

/** A published page as the public site addresses it, and the organization it belongs to. */
export interface PublishedPageRef {
  organizationId: string;
  pageId: string;
  /** The A/B experiment it runs, if any (cms' `PublishedPage.experiment`). */
  experiment: PublishedExperimentRef | null;
}

const publishedPageQuery = `query PublishedPageId($orgSlug: String!, $slug: String!, $locale: String) {
  publishedPage(orgSlug: $orgSlug, slug: $slug, locale: $locale) { id experiment { id variants { key weight } goal { formId eventName } } }
}`;

/**
 * Which published page an anonymous event names: the organization from identity, the
 * page from cms, both asked anonymously (what anyone may see). A page found is kept a
 * minute per process, so a busy page costs the two lookups once a minute rather than once
 * per view (a page unpublished meanwhile may still count views for up to that minute); a
 * page not found is asked again every time, so a page counts from the moment it is
 * published (the per-IP rate limit bounds what unknown slugs can cost). The same minute
 * applies to the page's experiment: one started or ended meanwhile is seen up to a minute
 * late by each process (views and conversions of that minute are not counted for it, or
 * still counted for the ended one).
 */
export function createPublishedPageLookup(options: { identityUrl: string; cmsUrl: string; signingSecret: string }) {
  const organizations = createPublicOrganizationLookup(options);
  const cache = new LRUCache<string, PublishedPageRef>({ max: 10_000, ttl: 60_000 });

  async function lookUp(claims: Claims, orgSlug: string, pageSlug: string, locale: string | null): Promise<PublishedPageRef | null> {
    const organization = await organizations.bySlug(claims, orgSlug);
    if (!organization) return null;
    const result = await signedGraphQLRequest<{ publishedPage: { id: string; experiment: PublishedExperimentRef | null } | null }>({
      url: options.cmsUrl,
      signingSecret: options.signingSecret,
      claims: { ...claims, actor: { type: 'anonymous' } },
      query: publishedPageQuery,
      variables: { orgSlug, slug: pageSlug, locale },
    });
    if (result.errors?.length) {
      const code = result.errors[0]?.extensions?.code;
      if (code === 'BAD_USER_INPUT' || code === 'NOT_FOUND') return null;
      throw new Error(`cms could not look up a published page: ${result.errors[0]?.message}`);
    }
    const page = result.data?.publishedPage;
    return page ? { organizationId: organization.id, pageId: page.id, experiment: page.experiment } : null;
  }

  return {
    /**
     * The published page, or null when the organization or the page is unknown or
     * unpublished. Where the address has several translations, the one `publishedPage`
     * serves for `locale` (the organization's default without one): the page a visitor saw.
     */
    async find(claims: Claims, orgSlug: string, pageSlug: string, locale: string | null = null): Promise<PublishedPageRef | null> {
      const key = `${orgSlug}\n${pageSlug}\n${locale ?? ''}`;
      const cached = cache.get(key);
      if (cached) return cached;
      const ref = await lookUp(claims, orgSlug, pageSlug, locale);
      if (ref) cache.set(key, ref);
      return ref;
    },
  };
}

export type PublishedPageLookup = ReturnType<typeof createPublishedPageLookup>;
