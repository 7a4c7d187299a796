import { recordSecurityEvent, type AuditContext, type PrismaClient } from '@token-nexus/prisma';
import type { Logger } from '@token-nexus/shared';

/**
 * Records a download link whose signature does not match (tampered with or forged) as a
 * security event, `audit.export_download_refused`, in the trail of the export's
 * organization, or the platform's when no such export exists. One entry a minute per
 * export, and one for every unknown id together, so made-up ids cannot flood the trail.
 * The gateway streams downloads without the client's identity or address, so the entry
 * is ANONYMOUS and carries none.
 */
export function refusedLinkRecorder(deps: {
  prisma: PrismaClient;
  onAuditRecorded: AuditContext['onRecorded'];
  logger: Logger;
}): (exportId: string) => Promise<void> {
  return async (exportId) => {
    const exportRow = await deps.prisma.auditExport.findUnique({ where: { id: exportId }, select: { organizationId: true } });
    const context: AuditContext = {
      onRecorded: deps.onAuditRecorded,
      actor: { type: 'ANONYMOUS', id: null },
      requestId: null,
      clientIp: null,
      userAgent: null,
    };
    await recordSecurityEvent(
      deps.prisma,
      context,
      {
        organizationId: exportRow?.organizationId ?? null,
        action: 'audit.export_download_refused',
        throttleKey: exportRow ? `download|${exportId}` : 'download|unknown',
        details: { exportId, reason: 'signature does not match' },
      },
      deps.logger,
    );
  };
}
