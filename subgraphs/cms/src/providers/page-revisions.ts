import { auditedTransaction, type Page, type Prisma } from '@token-nexus/prisma';
import { NotFoundError, encodeCursor, parseInput, parsePageRequest, toConnection } from '@token-nexus/shared';
import type { CmsContext } from '../context.ts';
import { replaceDocumentOperation } from '../live/operations.ts';
import { publishOperations } from '../live/page-events.ts';
import { recordDocumentReplaced } from '../live/submit-operations.ts';
import type { PageRevisionConnectionModel } from '../models.ts';
import { policy } from '../policy.ts';
import { revisionNumber, uuid } from '../validation/inputs.ts';
import { checkDocument } from './document-check.ts';
import { PageMoved, archivedError, editableStatuses, pageMovedError, updatePageIf } from './page-guard.ts';
import { requirePage } from './pages.ts';

/** One page of a page's revisions, newest first. */
export async function listRevisions(
  ctx: CmsContext,
  args: { pageId: unknown; first?: number | null; after?: string | null },
): Promise<PageRevisionConnectionModel> {
  const pageId = parseInput(uuid, args.pageId, 'pageId');
  const page = await requirePage(ctx, pageId);
  await policy.assertCanRead(ctx, page.organizationId);
  const request = parsePageRequest(args, ([number]) =>
    Number.isInteger(number) && (number as number) > 0 ? (number as number) : null,
  );
  const rows = await ctx.prisma.pageRevision.findMany({
    where: { pageId, ...(request.after !== null ? { number: { lt: request.after } } : {}) },
    orderBy: { number: 'desc' },
    take: request.limit + 1,
  });
  return toConnection(rows, request, (revision) => encodeCursor([revision.number]));
}

/**
 * Makes a revision's title, SEO and document the draft again, as a new version of the
 * document. The page's status is left alone: the public site keeps showing the latest
 * revision until the page is published again. The document is checked against today's
 * components, which may have changed since it was published.
 */
export async function restoreRevision(
  ctx: CmsContext,
  args: { pageId: unknown; number: unknown },
): Promise<Page> {
  const pageId = parseInput(uuid, args.pageId, 'pageId');
  const number = parseInput(revisionNumber, args.number, 'number');
  const authorId = policy.requireViewer(ctx);
  const before = await requirePage(ctx, pageId);
  await policy.assertCanEditPages(ctx, before.organizationId);
  const revision = await ctx.prisma.pageRevision.findUnique({ where: { pageId_number: { pageId, number } } });
  if (!revision) throw new NotFoundError(`The page has no revision ${number}.`);
  if (before.status === 'ARCHIVED') throw archivedError();
  const document = await checkDocument(ctx, before.organizationId, revision.document);
  try {
    const { page, history } = await auditedTransaction(ctx.prisma, ctx.audit, async (tx, audit) => {
      const page = await updatePageIf(
        tx,
        pageId,
        { version: before.version, statusIn: editableStatuses },
        {
          title: revision.title,
          seo: revision.seo as Prisma.InputJsonObject,
          document: document as unknown as Prisma.InputJsonObject,
          version: before.version + 1,
        },
      );
      const history = await recordDocumentReplaced(
        tx,
        { pageId, version: page.version, authorId },
        replaceDocumentOperation(document),
      );
      audit({
        organizationId: page.organizationId,
        action: 'page.revision_restored',
        target: { type: 'page', id: pageId },
        changes: {
          before: { version: before.version, title: before.title },
          after: { version: page.version, title: page.title, revision: number },
        },
      });
      return { page, history };
    });
    await publishOperations(ctx.events, [history]);
    return page;
  } catch (error) {
    if (error instanceof PageMoved) throw await pageMovedError(ctx, pageId, before.version);
    throw error;
  }
}
