import type { AuditEvent, AuditTransaction, Page } from '@token-nexus/prisma';

/**
 * Ends a page's running experiment, if it has one, without promoting anything (winner
 * null): what taking the page off the public site does, in the transaction that does it
 * (unpublishPage, archivePage, a scheduled unpublication). Once the page is back, it
 * serves its live revision to everyone until a new experiment is started.
 */
export async function endExperimentWithoutPromotion(
  tx: AuditTransaction,
  audit: (event: AuditEvent) => void,
  page: Pick<Page, 'id' | 'organizationId'>,
  cause: string,
): Promise<void> {
  const running = await tx.pageExperiment.findUnique({ where: { runningPageId: page.id }, select: { id: true } });
  if (!running) return;
  await tx.pageExperiment.update({
    where: { id: running.id },
    data: { status: 'ENDED', endedAt: new Date(), runningPageId: null, winner: null },
  });
  audit({
    organizationId: page.organizationId,
    action: 'page.experiment_ended',
    target: { type: 'page', id: page.id },
    changes: { before: { experiment: running.id, status: 'RUNNING' }, after: { status: 'ENDED', winner: null, cause } },
  });
}
