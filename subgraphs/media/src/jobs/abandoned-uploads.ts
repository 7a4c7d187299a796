import { auditedTransaction, type AuditContext, type PrismaClient } from '@token-nexus/prisma';
import { startPolling, type Logger } from '@token-nexus/shared';
import { uploadKey } from '../processing/process-upload.ts';
import type { AssetNotifier } from '../providers/asset-updates.ts';
import { bytesStillNeeded } from '../providers/storage-use.ts';
import type { MediaStorage } from '../storage/media-storage.ts';

/** After its URL expires, a client still finishing a PUT gets this long before the upload is swept. */
const graceMs = 60_000;

/**
 * Ends the uploads nobody completed before their URL expired: REJECTED with the reason, and
 * whatever bytes they left in storage deleted (unless another asset of the organization
 * holds the same ones). Without it such bytes would stay for ever, outside the quota (an
 * expired upload no longer counts, and can no longer be completed). One asset per
 * transaction; instances share the work (SKIP LOCKED).
 */
export async function sweepAbandonedUpload(
  deps: { prisma: PrismaClient; storage: MediaStorage; audit: AuditContext },
  now = new Date(),
): Promise<{ id: string; organizationId: string } | null> {
  const swept = await auditedTransaction(deps.prisma, deps.audit, async (tx, audit) => {
    const [asset] = await tx.$queryRaw<{ id: string; organizationId: string; sha256: string }[]>`
      SELECT id, organization_id AS "organizationId", sha256 FROM media.assets
      WHERE status = 'PENDING' AND upload_expires_at < ${new Date(now.getTime() - graceMs)}
      ORDER BY upload_expires_at LIMIT 1 FOR UPDATE SKIP LOCKED`;
    if (!asset) return null;
    const reason = 'The upload was not completed before its URL expired.';
    await tx.mediaAsset.update({ where: { id: asset.id }, data: { status: 'REJECTED', rejectionReason: reason } });
    audit({ organizationId: asset.organizationId, action: 'media.upload_expired', target: { type: 'media_asset', id: asset.id }, changes: { after: { reason } } });
    const keep = await bytesStillNeeded(tx, asset.organizationId, asset.sha256, asset.id);
    return { ...asset, keep };
  });
  if (!swept) return null;
  if (!swept.keep) await deps.storage.delete(uploadKey(swept.organizationId, swept.sha256));
  return swept;
}

/** Sweeps abandoned uploads every `intervalMs` on every instance. */
export function startUploadSweeper(options: {
  prisma: PrismaClient;
  storage: MediaStorage;
  onAuditRecorded: AuditContext['onRecorded'];
  notify: AssetNotifier;
  logger: Logger;
  intervalMs: number;
}) {
  const audit: AuditContext = { actor: { type: 'SYSTEM', id: 'media.sweeper' }, requestId: null, clientIp: null, userAgent: null, onRecorded: options.onAuditRecorded };
  return startPolling(options.intervalMs, options.logger, 'abandoned upload sweep', async () => {
    const swept = await sweepAbandonedUpload({ prisma: options.prisma, storage: options.storage, audit });
    if (swept) options.notify([swept]);
    return swept !== null;
  });
}
