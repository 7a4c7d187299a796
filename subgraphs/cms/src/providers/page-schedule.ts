import { auditedTransaction, enqueueJob, type Page } from '@token-nexus/prisma';
import { BadUserInputError, parseInput } from '@token-nexus/shared';
import { z } from 'zod';
import type { CmsContext } from '../context.ts';
import { pageScheduleJob } from '../jobs/page-schedule-job-definition.ts';
import { policy } from '../policy.ts';
import { revisionNumber, uuid } from '../validation/inputs.ts';
import { checkDocument } from './document-check.ts';
import { PageMoved, archivedError, editableStatuses, pageMovedError, updatePageIf } from './page-guard.ts';
import { noSchedule } from './page-schedule-fields.ts';
import { requirePage } from './pages.ts';

const scheduleInput = z
  .object({
    id: uuid,
    publishAt: z.coerce.date().nullish(),
    unpublishAt: z.coerce.date().nullish(),
    revision: revisionNumber.nullish(),
  })
  .superRefine((input, issues) => {
    const now = Date.now();
    for (const field of ['publishAt', 'unpublishAt'] as const) {
      const time = input[field];
      if (time && time.getTime() <= now) issues.addIssue({ code: 'custom', path: [field], message: 'must be in the future' });
    }
    if (input.publishAt && input.unpublishAt && input.unpublishAt <= input.publishAt) {
      issues.addIssue({ code: 'custom', path: ['unpublishAt'], message: 'must be after publishAt' });
    }
    // A pinned revision is what a publication republishes: without one it means nothing.
    if (input.revision != null && !input.publishAt) {
      issues.addIssue({ code: 'custom', path: ['revision'], message: 'needs publishAt' });
    }
  });

/**
 * Replaces a page's schedule (both times null: cancels it). Each time given is a job
 * enqueued in the same transaction, to run then (see jobs/page-schedule-job.ts); the jobs
 * of the schedule it replaces stay queued and do nothing, since they act only while the
 * page still holds their time. What would be published is checked now, as `publishPage`
 * checks it, so that a schedule that could never work is refused at once; the scheduled
 * publication does not check it again, since every write to a draft is checked.
 */
export async function schedulePagePublication(
  ctx: CmsContext,
  args: { id: unknown; publishAt?: unknown; unpublishAt?: unknown; revision?: unknown },
): Promise<Page> {
  const viewerId = policy.requireViewer(ctx);
  const input = parseInput(scheduleInput, args);
  const before = await requirePage(ctx, input.id);
  await policy.assertCanEditPages(ctx, before.organizationId);
  if (before.status === 'ARCHIVED') throw archivedError();
  const publishAt = input.publishAt ?? null;
  const unpublishAt = input.unpublishAt ?? null;
  const revision = input.revision ?? null;
  if (revision !== null) {
    const pinned = await ctx.prisma.pageRevision.findUnique({ where: { pageId_number: { pageId: before.id, number: revision } } });
    if (!pinned) throw new BadUserInputError(`revision: the page has no revision ${revision}`, { field: 'revision' });
    await checkDocument(ctx, before.organizationId, pinned.document, 'revision.document');
  } else if (publishAt) {
    await checkDocument(ctx, before.organizationId, before.document);
  }
  try {
    return await auditedTransaction(ctx.prisma, ctx.audit, async (tx, audit) => {
      const cancelled = publishAt === null && unpublishAt === null;
      const page = await updatePageIf(
        tx,
        before.id,
        { statusIn: editableStatuses },
        cancelled
          ? noSchedule
          : { scheduledPublishAt: publishAt, scheduledUnpublishAt: unpublishAt, scheduledRevision: revision, scheduledById: viewerId },
      );
      if (publishAt) await enqueueJob(tx, pageScheduleJob, { pageId: page.id, action: 'PUBLISH', at: publishAt.toISOString() }, { runAt: publishAt });
      if (unpublishAt) {
        await enqueueJob(tx, pageScheduleJob, { pageId: page.id, action: 'UNPUBLISH', at: unpublishAt.toISOString() }, { runAt: unpublishAt });
      }
      audit({
        organizationId: page.organizationId,
        action: cancelled ? 'page.schedule_cancelled' : 'page.scheduled',
        target: { type: 'page', id: page.id },
        changes: {
          before: scheduleOf(before),
          after: scheduleOf(page),
        },
      });
      return page;
    });
  } catch (error) {
    if (error instanceof PageMoved) throw await pageMovedError(ctx, before.id, before.version);
    throw error;
  }
}

function scheduleOf(page: Page) {
  return {
    publishAt: page.scheduledPublishAt?.toISOString() ?? null,
    unpublishAt: page.scheduledUnpublishAt?.toISOString() ?? null,
    revision: page.scheduledRevision,
  };
}
