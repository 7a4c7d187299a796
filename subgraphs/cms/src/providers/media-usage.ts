import { Prisma, type PrismaClient } from '@token-nexus/prisma';
import { componentNamesIn } from '../validation/document-props.ts';
import { mediaReferencesIn } from '../validation/media-references.ts';
import type { PageDocument } from '../validation/page-document.ts';
import { seoImageIds, seoOf } from '../validation/stored-seo.ts';

/** A published page that shows a media asset. */
export interface MediaUsage {
  /** The page's id. */
  id: string;
  slug: string;
  /** The asset it shows. */
  assetId: string;
}

/**
 * The PUBLISHED pages of an organization whose live revision, or a variant of the A/B
 * experiment it runs, shows any of the assets, once per page and asset: what the media
 * subgraph asks before deleting one. "Shows" as
 * `PublishedPage.assets` says it (a `media` prop of today's components names it), or as its
 * published SEO names it for a sharing image (`imageId`, `openGraph.imageId`,
 * `twitter.imageId`), so an asset may be deleted exactly when no live page shows it.
 * Postgres first keeps the pages whose live revision holds one of the ids as a JSON string
 * anywhere (a text search of the document and SEO); only those are read and walked here.
 */
export async function publishedPagesUsingMedia(prisma: PrismaClient, organizationId: string, assetIds: readonly string[]): Promise<MediaUsage[]> {
  const wanted = new Set(assetIds.map((id) => id.toLowerCase()));
  if (wanted.size === 0) return [];
  const patterns = [...wanted].map((id) => `%"${id}"%`);
  const candidates = await prisma.$queryRaw<{ id: string; slug: string; document: unknown; seo: unknown }[]>(Prisma.sql`
    SELECT p.id, p.slug, shown.document, shown.seo
    FROM cms.pages p
    CROSS JOIN LATERAL (
      (SELECT r.document, r.seo FROM cms.page_revisions r WHERE r.page_id = p.id ORDER BY r.number DESC LIMIT 1)
      UNION ALL
      SELECT v.document, '{}'::jsonb FROM cms.page_experiments e
      JOIN cms.page_experiment_variants v ON v.experiment_id = e.id
      WHERE e.running_page_id = p.id AND v.document IS NOT NULL
    ) shown
    WHERE p.organization_id = ${organizationId}::uuid
      AND p.status = 'PUBLISHED'
      AND (shown.document::text LIKE ANY (${patterns}::text[]) OR shown.seo::text LIKE ANY (${patterns}::text[]))`);
  if (candidates.length === 0) return [];
  // Stored revisions and variants were checked (and completed) by parsePageDocument when written.
  const documents = candidates.map((candidate) => ({ ...candidate, document: candidate.document as PageDocument }));
  const names = [...new Set(documents.flatMap((candidate) => componentNamesIn(candidate.document)))];
  const components = new Map(
    (await prisma.component.findMany({ where: { organizationId, name: { in: names } } })).map((component) => [component.name, component]),
  );
  const usages = new Map<string, MediaUsage>();
  for (const { id, slug, document, seo } of documents) {
    const shown = new Set([...mediaReferencesIn(document, components).map((reference) => reference.id), ...seoImageIds(seoOf(seo))]);
    for (const assetId of shown) if (wanted.has(assetId)) usages.set(`${id}|${assetId}`, { id, slug, assetId });
  }
  return [...usages.values()];
}
