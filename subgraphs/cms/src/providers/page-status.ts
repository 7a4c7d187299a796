import {
  auditedTransaction,
  recordWebhookEvent,
  type AuditEvent,
  type AuditTransaction,
  type Page,
  type PageRevision,
  type PageStatus,
  type Prisma,
} from '@token-nexus/prisma';
import { ConflictError, NotFoundError, parseInput } from '@token-nexus/shared';
import type { CmsContext } from '../context.ts';
import { policy } from '../policy.ts';
import { uuid } from '../validation/inputs.ts';
import { checkDocument } from './document-check.ts';
import { endExperimentWithoutPromotion } from './experiment-ending.ts';
import { PageMoved, archivedError, editableStatuses, pageMovedError, updatePageIf } from './page-guard.ts';
import { noSchedule } from './page-schedule-fields.ts';
import { requirePage } from './pages.ts';

/**
 * Publishes the draft as it is: it becomes the next revision (1, 2, 3…), which is what the
 * public site shows from now on. The document is checked against today's components first
 * (a component's schema may have changed since the draft was written), and the write only
 * happens if the document is still the version that was checked.
 */
export async function publishPage(ctx: CmsContext, rawId: unknown): Promise<Page> {
  const viewerId = policy.requireViewer(ctx);
  const id = parseInput(uuid, rawId, 'id');
  const before = await requirePage(ctx, id);
  await policy.assertCanEditPages(ctx, before.organizationId);
  if (before.status === 'ARCHIVED') throw archivedError();
  await checkDocument(ctx, before.organizationId, before.document);
  try {
    return await auditedTransaction(ctx.prisma, ctx.audit, async (tx, audit) => {
      const publishedAt = new Date();
      // The conditional update also locks the page's row until commit, so concurrent
      // publishes of one page take turns and each sees the revision numbers before it.
      const page = await updatePageIf(
        tx,
        id,
        { version: before.version, statusIn: editableStatuses },
        { status: 'PUBLISHED', publishedAt },
      );
      await recordPublication(tx, audit, { page, before: before.status, source: page, publishedAt, publishedById: viewerId });
      return page;
    });
  } catch (error) {
    if (error instanceof PageMoved) throw await pageMovedError(ctx, id, before.version);
    throw error;
  }
}

/**
 * What every publication writes once the page's row is PUBLISHED (and locked, in `tx`):
 * `source`'s title, SEO and document as the next revision, the audit entry and the
 * `page.published` webhook event. Shared by `publishPage` and the scheduled publication.
 */
export async function recordPublication(
  tx: AuditTransaction,
  audit: (event: AuditEvent) => void,
  publication: {
    page: Page;
    before: PageStatus;
    source: Pick<Page, 'title' | 'seo' | 'document' | 'version'>;
    publishedAt: Date;
    publishedById: string;
    /** Extra facts for the audit entry (a scheduled publication says so and which revision it republished). */
    auditDetails?: Record<string, unknown>;
  },
): Promise<PageRevision> {
  const { page, source } = publication;
  const { _max } = await tx.pageRevision.aggregate({ where: { pageId: page.id }, _max: { number: true } });
  const revision = await tx.pageRevision.create({
    data: {
      pageId: page.id,
      number: (_max.number ?? 0) + 1,
      title: source.title,
      seo: source.seo as Prisma.InputJsonObject,
      document: source.document as Prisma.InputJsonObject,
      version: source.version,
      publishedAt: publication.publishedAt,
      publishedById: publication.publishedById,
    },
  });
  audit({
    organizationId: page.organizationId,
    action: 'page.published',
    target: { type: 'page', id: page.id },
    changes: {
      before: { status: publication.before },
      after: { status: page.status, revision: revision.number, version: revision.version, title: revision.title, ...publication.auditDetails },
    },
  });
  await recordWebhookEvent(tx, {
    organizationId: page.organizationId,
    type: 'page.published',
    data: { pageId: page.id, slug: page.slug, locale: page.locale, title: revision.title, revision: revision.number },
  });
  return revision;
}

/** Takes a page off the public site: PUBLISHED (or ARCHIVED) becomes DRAFT. */
export function unpublishPage(ctx: CmsContext, rawId: unknown): Promise<Page> {
  return changeStatus(ctx, rawId, {
    from: ['PUBLISHED', 'ARCHIVED'],
    to: 'DRAFT',
    action: 'page.unpublished',
    refusal: 'The page is not published.',
  });
}

/** Archives a page: off the public site, and read-only until unpublished. */
export function archivePage(ctx: CmsContext, rawId: unknown): Promise<Page> {
  return changeStatus(ctx, rawId, {
    from: ['DRAFT', 'PUBLISHED'],
    to: 'ARCHIVED',
    action: 'page.archived',
    refusal: 'The page is already archived.',
  });
}

async function changeStatus(
  ctx: CmsContext,
  rawId: unknown,
  change: { from: PageStatus[]; to: PageStatus; action: string; refusal: string },
): Promise<Page> {
  const id = parseInput(uuid, rawId, 'id');
  const before = await requirePage(ctx, id);
  await policy.assertCanEditPages(ctx, before.organizationId);
  if (!change.from.includes(before.status)) throw new ConflictError(change.refusal, { status: before.status });
  try {
    return await auditedTransaction(ctx.prisma, ctx.audit, async (tx, audit) => {
      // Neither DRAFT nor ARCHIVED is live, so neither has a publication time.
      const page = await updatePageIf(tx, id, { statusIn: change.from }, {
        status: change.to,
        publishedAt: null,
        // An archived page is read-only: what was scheduled for it is called off.
        ...(change.to === 'ARCHIVED' ? noSchedule : {}),
      });
      audit({
        organizationId: page.organizationId,
        action: change.action,
        target: { type: 'page', id },
        changes: { before: { status: before.status }, after: { status: page.status } },
      });
      // Off the public site, nobody is shown a variant any more.
      await endExperimentWithoutPromotion(tx, audit, page, change.action);
      return page;
    });
  } catch (error) {
    if (!(error instanceof PageMoved)) throw error;
    // Another request changed the status in between: report it as it is now (read
    // afresh, not from the request's loader, which still holds the page as it was).
    const current = await ctx.prisma.page.findUnique({ where: { id }, select: { status: true } });
    if (!current) throw new NotFoundError('The page does not exist.');
    throw new ConflictError(change.refusal, { status: current.status });
  }
}
