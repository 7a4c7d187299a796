import type { Page, Prisma } from '@token-nexus/prisma';
import { parseInput } from '@token-nexus/shared';
import type { CmsContext } from '../context.ts';
import { policy } from '../policy.ts';
import { locale as localeSchema, pageTitle, uuid } from '../validation/inputs.ts';
import { insertPage } from './create-page.ts';
import { checkDocument } from './document-check.ts';
import { requirePage } from './pages.ts';

/**
 * Adds a translation of a page: a new DRAFT page at version 1 with the source's slug, kind
 * and template, a copy of its draft document and SEO, in `locale`. Being a page of its own,
 * it has its own draft, revisions, publication, schedule and live session. The copied
 * document is checked against today's components, as a template's copy is; the copied SEO
 * is taken as it was stored (its images were checked when it was written, and a deleted
 * one only stops being served). CONFLICT on `locale` when the slug has a page in it.
 */
export async function createPageTranslation(
  ctx: CmsContext,
  args: { pageId: unknown; locale: unknown; title?: unknown },
): Promise<Page> {
  const viewerId = policy.requireViewer(ctx);
  const pageId = parseInput(uuid, args.pageId, 'pageId');
  const locale = parseInput(localeSchema, args.locale, 'locale');
  const title = args.title == null ? null : parseInput(pageTitle, args.title, 'title');
  const source = await requirePage(ctx, pageId);
  await policy.assertCanEditPages(ctx, source.organizationId);
  const document = await checkDocument(ctx, source.organizationId, source.document);
  return insertPage(
    ctx,
    {
      organizationId: source.organizationId,
      kind: source.kind,
      slug: source.slug,
      title: title ?? source.title,
      locale,
      seo: source.seo as Prisma.InputJsonValue,
      document: document as unknown as Prisma.InputJsonObject,
      templateId: source.templateId,
      createdById: viewerId,
    },
    { conflictField: 'locale', translationOf: source.id },
  );
}
