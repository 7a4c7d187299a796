import { auditedTransaction, type AuditContext, type JobHandler, type PrismaClient } from '@token-nexus/prisma';
import type { Logger } from '@token-nexus/shared';
import { endExperimentWithoutPromotion } from '../providers/experiment-ending.ts';
import { recordPublication } from '../providers/page-status.ts';
import { pageScheduleJob, type PageSchedulePayload } from './page-schedule-job-definition.ts';

export interface PageScheduleDependencies {
  prisma: PrismaClient;
  /** The live feed and cache invalidation of committed changes, as for a request's. */
  onAuditRecorded: AuditContext['onRecorded'];
  logger: Logger;
}

/**
 * Runs `cms.page-schedule`: publishes or unpublishes a page at the time it was scheduled
 * for, as `publishPage` / `unpublishPage` would (revision, audit entry, webhook event,
 * cache invalidation and the live audit feed), audited as the SYSTEM scheduler.
 *
 * Exactly once across instances and retries: the transaction starts with one conditional
 * UPDATE that clears the schedule field only while it still holds the payload's time. It
 * locks the row, so a second runner of the same job waits, then matches nothing (Postgres
 * re-checks the condition on the committed row) and does nothing; so does the job of a
 * cancelled or rescheduled time.
 */
export function pageScheduleHandler(deps: PageScheduleDependencies): JobHandler<PageSchedulePayload> {
  const jobAudit: AuditContext = {
    actor: { type: 'SYSTEM', id: 'cms.scheduler' },
    requestId: null,
    clientIp: null,
    userAgent: null,
    onRecorded: deps.onAuditRecorded,
  };
  return {
    definition: pageScheduleJob,
    async run(payload) {
      const at = new Date(payload.at);
      const acted =
        payload.action === 'PUBLISH'
          ? await publishAsScheduled(deps.prisma, jobAudit, payload.pageId, at)
          : await unpublishAsScheduled(deps.prisma, jobAudit, payload.pageId, at);
      if (!acted) {
        deps.logger.debug({ pageId: payload.pageId, action: payload.action, at: payload.at }, 'scheduled page change no longer due (cancelled, rescheduled or done)');
      }
    },
  };
}

/**
 * Publishes the draft as it is now, or the pinned revision, in one transaction that
 * clears the scheduled time. A page archived since is left alone (archiving clears the
 * schedule, so this only guards a race with it).
 */
async function publishAsScheduled(prisma: PrismaClient, jobAudit: AuditContext, pageId: string, at: Date): Promise<boolean> {
  return auditedTransaction(prisma, jobAudit, async (tx, audit) => {
    // The claim: only one runner gets past it (see pageScheduleHandler); the row stays
    // locked until commit, so the pinned revision and the publisher read next are the
    // ones scheduled together with this time.
    const { count } = await tx.page.updateMany({
      where: { id: pageId, scheduledPublishAt: at, status: { in: ['DRAFT', 'PUBLISHED'] } },
      data: { scheduledPublishAt: null },
    });
    if (count === 0) return false;
    const before = await tx.page.findUniqueOrThrow({ where: { id: pageId } });
    const pinned = before.scheduledRevision === null
      ? null
      : await tx.pageRevision.findUniqueOrThrow({ where: { pageId_number: { pageId, number: before.scheduledRevision } } });
    const publishedAt = new Date();
    const page = await tx.page.update({
      where: { id: pageId },
      data: {
        status: 'PUBLISHED',
        publishedAt,
        scheduledRevision: null,
        ...(before.scheduledUnpublishAt === null ? { scheduledById: null } : {}),
      },
    });
    await recordPublication(tx, audit, {
      page,
      before: before.status,
      source: pinned ?? page,
      publishedAt,
      // The person who scheduled it; the audit entry's actor says the scheduler did it.
      publishedById: before.scheduledById ?? before.createdById,
      auditDetails: { scheduledFor: at.toISOString(), scheduledBy: before.scheduledById, ...(pinned ? { republished: pinned.number } : {}) },
    });
    return true;
  });
}

/** Takes a PUBLISHED page off the public site; a page no longer published just loses the time. */
async function unpublishAsScheduled(prisma: PrismaClient, jobAudit: AuditContext, pageId: string, at: Date): Promise<boolean> {
  return auditedTransaction(prisma, jobAudit, async (tx, audit) => {
    const { count } = await tx.page.updateMany({ where: { id: pageId, scheduledUnpublishAt: at }, data: { scheduledUnpublishAt: null } });
    if (count === 0) return false;
    const before = await tx.page.findUniqueOrThrow({ where: { id: pageId } });
    const clearPublisher = before.scheduledPublishAt === null ? { scheduledById: null } : {};
    if (before.status !== 'PUBLISHED') {
      await tx.page.update({ where: { id: pageId }, data: clearPublisher });
      return true;
    }
    const page = await tx.page.update({ where: { id: pageId }, data: { status: 'DRAFT', publishedAt: null, ...clearPublisher } });
    audit({
      organizationId: page.organizationId,
      action: 'page.unpublished',
      target: { type: 'page', id: pageId },
      changes: { before: { status: before.status }, after: { status: page.status, scheduledFor: at.toISOString(), scheduledBy: before.scheduledById } },
    });
    await endExperimentWithoutPromotion(tx, audit, page, 'page.unpublished');
    return true;
  });
}
