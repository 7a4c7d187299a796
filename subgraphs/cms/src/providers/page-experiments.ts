import {
  auditedTransaction,
  isUniqueConstraintError,
  type AuditEvent,
  type AuditTransaction,
  type Page,
  type PageOperation,
  type Prisma,
} from '@token-nexus/prisma';
import { BadUserInputError, ConflictError, NotFoundError, parseInput } from '@token-nexus/shared';
import type { CmsContext } from '../context.ts';
import { replaceDocumentOperation } from '../live/operations.ts';
import { publishOperations } from '../live/page-events.ts';
import { recordDocumentReplaced } from '../live/submit-operations.ts';
import type { PageExperimentModel } from '../models.ts';
import { policy } from '../policy.ts';
import { controlVariant, startExperimentInput, variantKey, type StartExperimentInput } from '../validation/experiment-input.ts';
import { uuid } from '../validation/inputs.ts';
import { checkDocument } from './document-check.ts';
import { PageMoved, updatePageIf } from './page-guard.ts';
import { recordPublication } from './page-status.ts';
import { requirePage } from './pages.ts';

const withVariants = { variants: { orderBy: { position: 'asc' } } } as const;

/** The page's experiment for its members: the running one, else the latest ended one, else null. */
export async function findPageExperiment(ctx: CmsContext, rawPageId: unknown): Promise<PageExperimentModel | null> {
  const pageId = parseInput(uuid, rawPageId, 'pageId');
  const page = await ctx.loaders.pageById.load(pageId);
  if (!page) return null;
  await policy.assertCanRead(ctx, page.organizationId);
  return ctx.prisma.pageExperiment.findFirst({
    where: { pageId },
    // A running experiment is the latest one started: at most one runs, and it started after every ended one.
    orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
    include: withVariants,
  });
}

/** An experiment by id for its page's members (FORBIDDEN for anyone else); null when there is none. */
export async function findExperimentById(ctx: CmsContext, rawId: unknown): Promise<PageExperimentModel | null> {
  const id = parseInput(uuid, rawId, 'id');
  const experiment = await ctx.prisma.pageExperiment.findUnique({ where: { id }, include: withVariants });
  if (!experiment) return null;
  await policy.assertCanRead(ctx, experiment.organizationId);
  return experiment;
}

/**
 * Starts an experiment on a PUBLISHED page: input first (BAD_USER_INPUT naming the field),
 * then the page's state (CONFLICT), then every variant's document against the
 * organization's components, and only then one transaction that takes the page's row
 * (still PUBLISHED) and stores the experiment and its variants. The unique index on
 * `running_page_id` refuses a second running experiment even when two starts race.
 */
export async function startPageExperiment(ctx: CmsContext, args: { pageId: unknown; input: unknown }): Promise<PageExperimentModel> {
  const viewerId = policy.requireViewer(ctx);
  const pageId = parseInput(uuid, args.pageId, 'pageId');
  const page = await requirePage(ctx, pageId);
  await policy.assertCanEditPages(ctx, page.organizationId);
  const input = parseInput(startExperimentInput, args.input, 'input');
  if (page.status !== 'PUBLISHED') throw notPublishedError(page.status);
  if (await ctx.loaders.runningExperimentByPageId.load(pageId)) throw alreadyRunningError();
  const variants = await checkedVariants(ctx, page.organizationId, input);
  try {
    return await auditedTransaction(ctx.prisma, ctx.audit, async (tx, audit) => {
      // Holds the page PUBLISHED until commit: an unpublish waits, then ends this experiment.
      if ((await lockPage(tx, pageId)) !== 'PUBLISHED') throw new PageMoved();
      const experiment = await tx.pageExperiment.create({
        data: {
          organizationId: page.organizationId,
          pageId,
          runningPageId: pageId,
          goal: input.goal.formId ? { formId: input.goal.formId } : { eventName: input.goal.eventName! },
          createdById: viewerId,
          variants: { create: variants },
        },
        include: withVariants,
      });
      audit({
        organizationId: page.organizationId,
        action: 'page.experiment_started',
        target: { type: 'page', id: pageId },
        changes: {
          after: {
            experiment: experiment.id,
            variants: variants.map(({ key, weight }) => ({ key, weight })),
            goal: experiment.goal as Prisma.InputJsonObject,
          },
        },
      });
      return experiment;
    });
  } catch (error) {
    if (isUniqueConstraintError(error)) throw alreadyRunningError();
    if (error instanceof PageMoved) throw notPublishedError('DRAFT');
    throw error;
  }
}

/** The variants as stored, in the given order; every document but control's checked like a page's. */
async function checkedVariants(
  ctx: CmsContext,
  organizationId: string,
  input: StartExperimentInput,
): Promise<Prisma.PageExperimentVariantCreateWithoutExperimentInput[]> {
  const variants: Prisma.PageExperimentVariantCreateWithoutExperimentInput[] = [];
  for (const [position, variant] of input.variants.entries()) {
    const content =
      variant.key === controlVariant
        ? {}
        : {
            title: variant.title!,
            document: (await checkDocument(ctx, organizationId, variant.document, `input.variants[${position}].document`)) as unknown as Prisma.InputJsonObject,
          };
    variants.push({ key: variant.key, position, weight: variant.weight, ...content });
  }
  return variants;
}

/**
 * Ends the page's running experiment with `promote` as its winner. A variant other than
 * control becomes the draft (title and document, as a whole-document replacement in the
 * page's history, so live editors follow) and is published as the next revision through
 * the same path as publishPage (revision, audit entry, webhook event, cache invalidation),
 * all in one transaction with the experiment's end.
 */
export async function endPageExperiment(ctx: CmsContext, args: { pageId: unknown; promote: unknown }): Promise<PageExperimentModel> {
  const viewerId = policy.requireViewer(ctx);
  const pageId = parseInput(uuid, args.pageId, 'pageId');
  const page = await requirePage(ctx, pageId);
  await policy.assertCanEditPages(ctx, page.organizationId);
  const promote = parseInput(variantKey, args.promote, 'promote');
  const running = await ctx.loaders.runningExperimentByPageId.load(pageId);
  if (!running) throw new NotFoundError('The page runs no experiment.');
  const winner = running.variants.find((variant) => variant.key === promote);
  if (!winner) {
    const keys = running.variants.map((variant) => variant.key).join(', ');
    throw new BadUserInputError(`promote: the experiment has no variant "${promote}" (it has ${keys})`, { field: 'promote' });
  }
  // Components may have changed since the experiment started: the document is published as today's.
  const document = winner.key === controlVariant ? null : await checkDocument(ctx, page.organizationId, winner.document, 'promote');
  let history: PageOperation | null = null;
  // The promoted revision is published at the instant the experiment ends, not before it:
  // control's title is that of the last revision published before the end (see PageExperiment.ts).
  const endedAt = new Date();
  const ended = await auditedTransaction(ctx.prisma, ctx.audit, async (tx, audit) => {
    await lockPage(tx, pageId);
    const { count } = await tx.pageExperiment.updateMany({
      where: { id: running.id, status: 'RUNNING' },
      data: { status: 'ENDED', endedAt, winner: promote, runningPageId: null },
    });
    if (count === 0) throw new NotFoundError('The page runs no experiment.');
    audit({
      organizationId: page.organizationId,
      action: 'page.experiment_ended',
      target: { type: 'page', id: pageId },
      changes: { before: { experiment: running.id, status: 'RUNNING' }, after: { status: 'ENDED', winner: promote } },
    });
    if (document !== null) {
      history = await promoteVariant(tx, audit, {
        pageId,
        authorId: viewerId,
        title: winner.title!,
        document,
        experimentId: running.id,
        variant: promote,
        publishedAt: endedAt,
      });
    }
    return tx.pageExperiment.findUniqueOrThrow({ where: { id: running.id }, include: withVariants });
  });
  if (history) await publishOperations(ctx.events, [history]);
  return ended;
}

/** The variant as the page's new draft, published at once; returns the draft's history entry. */
async function promoteVariant(
  tx: AuditTransaction,
  audit: (event: AuditEvent) => void,
  promotion: { pageId: string; authorId: string; title: string; document: unknown; experimentId: string; variant: string; publishedAt: Date },
): Promise<PageOperation> {
  const current = await tx.page.findUniqueOrThrow({ where: { id: promotion.pageId }, select: { version: true } });
  // The variant replaces the whole draft: its SEO goes back to the live revision's, so that
  // unpublished SEO edits are not published with the variant unreviewed.
  const live = await tx.pageRevision.findFirstOrThrow({ where: { pageId: promotion.pageId }, orderBy: { number: 'desc' }, select: { seo: true } });
  const { publishedAt } = promotion;
  let page: Page;
  try {
    page = await updatePageIf(tx, promotion.pageId, { version: current.version, statusIn: ['PUBLISHED'] }, {
      title: promotion.title,
      seo: live.seo as Prisma.InputJsonObject,
      document: promotion.document as Prisma.InputJsonObject,
      version: current.version + 1,
      publishedAt,
    });
  } catch (error) {
    // Only an edit of the draft since it was read gets here: unpublishing would have ended the experiment.
    if (error instanceof PageMoved) throw new ConflictError('The page changed while the experiment was ending; try again.');
    throw error;
  }
  const history = await recordDocumentReplaced(tx, { pageId: page.id, version: page.version, authorId: promotion.authorId }, replaceDocumentOperation(promotion.document));
  await recordPublication(tx, audit, {
    page,
    before: 'PUBLISHED',
    source: page,
    publishedAt,
    publishedById: promotion.authorId,
    auditDetails: { promoted: { experiment: promotion.experimentId, variant: promotion.variant } },
  });
  return history;
}

/**
 * Locks the page's row until commit and returns its status. Every write touching a page and
 * its experiment takes the page first, then the experiment (as unpublishing does), so two
 * of them cannot deadlock.
 */
async function lockPage(tx: AuditTransaction, pageId: string): Promise<string | null> {
  const rows = await tx.$queryRaw<{ status: string }[]>`SELECT status::text FROM cms.pages WHERE id = ${pageId}::uuid FOR UPDATE`;
  return rows[0]?.status ?? null;
}

function notPublishedError(status: string): ConflictError {
  return new ConflictError('Only a PUBLISHED page can run an experiment.', { status });
}

function alreadyRunningError(): ConflictError {
  return new ConflictError('The page already runs an experiment; end it with endPageExperiment first.');
}
