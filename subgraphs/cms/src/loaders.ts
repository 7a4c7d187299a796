import DataLoader from 'dataloader';
import { Prisma, type Component, type Page, type PageRevision, type PrismaClient, type Template } from '@token-nexus/prisma';
import type { PageExperimentModel } from './models.ts';
import { runningExperimentsOf } from './providers/running-experiments.ts';
import { isMediaId } from './validation/media-schema.ts';

/** The most pages `MediaAsset.usages` lists. */
export const mediaUsagesLimit = 100;

/** A component named in a document, looked up in the document's organization. */
export interface ComponentNameKey {
  organizationId: string;
  name: string;
}

/**
 * The request's loaders. One set per request, so caching never outlives a request; every
 * list → entity hop goes through one of them (a page's revision count, its live revision,
 * its template; the components a document names), so the number of SQL statements does
 * not grow with the number of rows.
 */
export function createLoaders(
  prisma: PrismaClient,
  caller: {
    /** The organizations whose pages the caller reads; null for all of them (see policy.ts). */
    readableOrganizations: () => Promise<string[] | null>;
    /** Public URLs of READY assets of an organization, from the media subgraph. */
    publicMediaUrls: (organizationId: string, ids: readonly string[]) => Promise<Map<string, string>>;
  },
) {
  const pageById = new DataLoader<string, Page | null>(async (ids) => {
    const rows = await prisma.page.findMany({ where: { id: { in: [...ids] } } });
    return byKey(ids, rows, (row) => row.id);
  });
  return {
    pageById,

    /**
     * The pages the caller reads whose draft, live revision while PUBLISHED, or a variant of
     * their running A/B experiment names a media asset: newest first, at most `mediaUsagesLimit` per asset. "Names" is a text
     * search of the stored document and SEO (its sharing images) for the id as a JSON
     * string, wherever it is: no index
     * serves it, so it reads every page of the caller's organizations (fine for a library's
     * usage panel; a reverse index of references would be the next step if it is not).
     */
    pagesByMediaAssetId: new DataLoader<string, Page[]>(async (assetIds) => {
      const organizations = await caller.readableOrganizations();
      const ids = assetIds.filter(isMediaId);
      if (ids.length === 0 || organizations?.length === 0) return assetIds.map(() => []);
      const rows = await prisma.$queryRaw<{ assetId: string; id: string }[]>(Prisma.sql`
        SELECT a.asset_id AS "assetId", used.id
        FROM unnest(${ids}::text[]) AS a(asset_id)
        CROSS JOIN LATERAL (
          SELECT p.id, p.created_at FROM cms.pages p
          WHERE ${organizations ? Prisma.sql`p.organization_id = ANY(${organizations}::uuid[])` : Prisma.sql`TRUE`}
            AND (p.document::text LIKE '%"' || a.asset_id || '"%'
              OR p.seo::text LIKE '%"' || a.asset_id || '"%'
              OR (p.status = 'PUBLISHED' AND (
                SELECT r.document::text || r.seo::text FROM cms.page_revisions r WHERE r.page_id = p.id ORDER BY r.number DESC LIMIT 1
              ) LIKE '%"' || a.asset_id || '"%')
              OR EXISTS (
                SELECT 1 FROM cms.page_experiments e JOIN cms.page_experiment_variants v ON v.experiment_id = e.id
                WHERE e.running_page_id = p.id AND v.document::text LIKE '%"' || a.asset_id || '"%'
              ))
          ORDER BY p.created_at DESC, p.id DESC
          LIMIT ${mediaUsagesLimit}
        ) used
        ORDER BY a.asset_id, used.created_at DESC, used.id DESC`);
      const pages = new Map<string, Page>();
      for (const page of await pageById.loadMany(rows.map((row) => row.id))) {
        if (page && !(page instanceof Error)) pages.set(page.id, page);
      }
      const byAsset = new Map<string, Page[]>();
      for (const row of rows) {
        const page = pages.get(row.id);
        if (page) byAsset.set(row.assetId, [...(byAsset.get(row.assetId) ?? []), page]);
      }
      return assetIds.map((id) => byAsset.get(id) ?? []);
    }),

    /**
     * The pages at an address (organization and slug), by locale: a page and its
     * translations, for `Page.translations` over a whole list in one statement.
     */
    pagesBySlug: new DataLoader<PageSlugKey, Page[], string>(
      async (keys) => {
        const rows = await prisma.page.findMany({
          where: { OR: keys.map((key) => ({ organizationId: key.organizationId, slug: key.slug })) },
          orderBy: [{ locale: 'asc' }],
        });
        const bySlug = new Map<string, Page[]>();
        for (const row of rows) bySlug.set(pageSlugKey(row), [...(bySlug.get(pageSlugKey(row)) ?? []), row]);
        return keys.map((key) => bySlug.get(pageSlugKey(key)) ?? []);
      },
      { cacheKeyFn: pageSlugKey },
    ),

    revisionCountByPageId: new DataLoader<string, number>(async (pageIds) => {
      const rows = await prisma.pageRevision.groupBy({
        by: ['pageId'],
        where: { pageId: { in: [...pageIds] } },
        _count: { _all: true },
      });
      const counts = new Map(rows.map((row) => [row.pageId, row._count._all]));
      return pageIds.map((id) => counts.get(id) ?? 0);
    }),

    /**
     * Each page's latest revision: what the public site shows while the page is PUBLISHED.
     * DISTINCT ON reads one row per page from the (page, number) index; Prisma's own
     * `distinct` would fetch every revision and drop all but one in memory.
     */
    latestRevisionByPageId: new DataLoader<string, PageRevision | null>(async (pageIds) => {
      const rows = await prisma.$queryRaw<PageRevision[]>`
        SELECT DISTINCT ON (page_id)
               id, page_id AS "pageId", number, title, seo, document, version,
               published_at AS "publishedAt", published_by_id AS "publishedById"
        FROM cms.page_revisions
        WHERE page_id = ANY(${[...pageIds]}::uuid[])
        ORDER BY page_id, number DESC`;
      return byKey(pageIds, rows, (row) => row.pageId);
    }),

    /**
     * The public URL of a media asset that a published page's SEO names, null when it is not
     * a READY asset of the organization: one question to media per organization for every
     * image of the request (its own, OpenGraph's and Twitter's, over every page read).
     */
    publicMediaUrlByAsset: new DataLoader<MediaAssetKey, string | null, string>(
      async (keys) => {
        const byOrganization = new Map<string, string[]>();
        for (const key of keys) byOrganization.set(key.organizationId, [...(byOrganization.get(key.organizationId) ?? []), key.id]);
        const urls = new Map<string, string>();
        for (const [organizationId, ids] of byOrganization) {
          for (const [id, url] of await caller.publicMediaUrls(organizationId, ids)) urls.set(`${organizationId}|${id}`, url);
        }
        return keys.map((key) => urls.get(mediaAssetKey(key)) ?? null);
      },
      { cacheKeyFn: mediaAssetKey, maxBatchSize: 100 },
    ),
    /** A page's RUNNING experiment with its variants in bucketing order, or null. */
    runningExperimentByPageId: new DataLoader<string, PageExperimentModel | null>(async (pageIds) => {
      const rows = await runningExperimentsOf(prisma, pageIds);
      return byKey(pageIds, rows, (row) => row.pageId);
    }),

    templateById: new DataLoader<string, Template | null>(async (ids) => {
      const rows = await prisma.template.findMany({ where: { id: { in: [...ids] } } });
      return byKey(ids, rows, (row) => row.id);
    }),

    componentById: new DataLoader<string, Component | null>(async (ids) => {
      const rows = await prisma.component.findMany({ where: { id: { in: [...ids] } } });
      return byKey(ids, rows, (row) => row.id);
    }),

    /** Components by organization and name: every component a document names, in one statement. */
    componentByName: new DataLoader<ComponentNameKey, Component | null, string>(
      async (keys) => {
        const names = new Map<string, string[]>();
        for (const key of keys) names.set(key.organizationId, [...(names.get(key.organizationId) ?? []), key.name]);
        const rows = await prisma.component.findMany({
          where: {
            OR: [...names].map(([organizationId, inOrganization]) => ({
              organizationId,
              name: { in: inOrganization },
            })),
          },
        });
        return byKey(keys.map(componentKey), rows, componentKey);
      },
      { cacheKeyFn: componentKey },
    ),
  };
}

export type CmsLoaders = ReturnType<typeof createLoaders>;

/** An address of the public site: the pages there are translations of each other. */
export interface PageSlugKey {
  organizationId: string;
  slug: string;
}

function pageSlugKey(key: PageSlugKey): string {
  return `${key.organizationId}|${key.slug}`;
}

/** A media asset of an organization. */
export interface MediaAssetKey {
  organizationId: string;
  id: string;
}

function mediaAssetKey(key: MediaAssetKey): string {
  return `${key.organizationId}|${key.id}`;
}

function componentKey(key: ComponentNameKey): string {
  return `${key.organizationId}|${key.name}`;
}

function byKey<T>(keys: readonly string[], rows: T[], keyOf: (row: T) => string): (T | null)[] {
  const map = new Map(rows.map((row) => [keyOf(row), row]));
  return keys.map((key) => map.get(key) ?? null);
}
