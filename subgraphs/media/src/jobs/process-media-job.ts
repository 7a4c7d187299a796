import { auditedTransaction, recordWebhookEvent, type AuditContext, type JobHandler, type MediaAsset, type PrismaClient } from '@token-nexus/prisma';
import type { Logger } from '@token-nexus/shared';
import type { MediaConfig } from '../config.ts';
import { processUpload } from '../processing/process-upload-job.ts';
import { uploadKey, type ProcessResult } from '../processing/process-upload.ts';
import type { AssetNotifier } from '../providers/asset-updates.ts';
import { readyEventData } from '../providers/assets.ts';
import { bytesStillNeeded } from '../providers/storage-use.ts';
import type { MediaStorage } from '../storage/media-storage.ts';
import { processMediaJob, type ProcessMediaPayload } from './process-media-job-definition.ts';

export interface ProcessMediaDependencies {
  prisma: PrismaClient;
  storage: MediaStorage;
  limits: MediaConfig['limits'];
  notify: AssetNotifier;
  onAuditRecorded: AuditContext['onRecorded'];
  logger: Logger;
}

/**
 * Runs `media.process`: checks what arrived against what was declared and processes it
 * (see processUpload), then records the outcome: READY with its variants, or REJECTED with
 * the reason and its bytes deleted (unless another asset of the organization holds the
 * same ones). Each outcome is audited and sent to webhooks (`media.ready`, `media.rejected`).
 * Safe to repeat: an asset no longer PROCESSING is left alone.
 */
export function processMediaHandler(deps: ProcessMediaDependencies): JobHandler<ProcessMediaPayload> {
  const jobAudit: AuditContext = {
    actor: { type: 'SYSTEM', id: 'media.jobs' },
    requestId: null,
    clientIp: null,
    userAgent: null,
    onRecorded: deps.onAuditRecorded,
  };
  return {
    definition: processMediaJob,
    async run({ assetId }) {
      const asset = await deps.prisma.mediaAsset.findUnique({ where: { id: assetId } });
      if (!asset || asset.status !== 'PROCESSING' || asset.deletedAt) return;
      const result = await processUpload(deps.storage, asset, { maxBytes: deps.limits.maxBytes, maxPixels: deps.limits.maxPixels });
      const finished = await record(deps, jobAudit, asset, result);
      if (finished) deps.notify([asset]);
    },
    async onExhausted({ assetId }, error) {
      const moved = await auditedTransaction(deps.prisma, jobAudit, async (tx, audit) => {
        const { count } = await tx.mediaAsset.updateMany({ where: { id: assetId, status: 'PROCESSING' }, data: { status: 'FAILED', rejectionReason: null } });
        if (count === 0) return null;
        const asset = await tx.mediaAsset.findUniqueOrThrow({ where: { id: assetId } });
        audit({ organizationId: asset.organizationId, action: 'media.processing_failed', target: { type: 'media_asset', id: assetId }, severity: 'WARNING', changes: { after: { error: error.message.slice(0, 500) } } });
        return asset;
      });
      if (moved) deps.notify([moved]);
    },
  };
}

async function record(deps: ProcessMediaDependencies, jobAudit: AuditContext, asset: MediaAsset, result: ProcessResult): Promise<boolean> {
  const deleteUpload = await auditedTransaction(deps.prisma, jobAudit, async (tx, audit) => {
    const target = { type: 'media_asset', id: asset.id };
    if (result.outcome === 'rejected') {
      const { count } = await tx.mediaAsset.updateMany({ where: { id: asset.id, status: 'PROCESSING' }, data: { status: 'REJECTED', rejectionReason: result.reason } });
      if (count === 0) return null;
      audit({ organizationId: asset.organizationId, action: 'media.rejected', target, severity: 'WARNING', changes: { after: { reason: result.reason } } });
      await recordWebhookEvent(tx, { organizationId: asset.organizationId, type: 'media.rejected', data: { ...readyEventData(asset), reason: result.reason } });
      return !(await bytesStillNeeded(tx, asset.organizationId, asset.sha256, asset.id));
    }
    const { count } = await tx.mediaAsset.updateMany({
      where: { id: asset.id, status: 'PROCESSING' },
      data: { status: 'READY', contentType: result.contentType, kind: result.kind, width: result.width, height: result.height },
    });
    if (count === 0) return null;
    await tx.mediaVariant.createMany({ data: result.variants.map((variant) => ({ ...variant, assetId: asset.id })), skipDuplicates: true });
    audit({ organizationId: asset.organizationId, action: 'media.ready', target, changes: { after: { contentType: result.contentType, width: result.width, height: result.height, variants: result.variants.map((variant) => variant.name) } } });
    await recordWebhookEvent(tx, { organizationId: asset.organizationId, type: 'media.ready', data: readyEventData({ ...asset, contentType: result.contentType }) });
    // What is served is now a copy of the checked bytes (or the stripped `original`, since a
    // raster image's upload may hold EXIF and GPS data): the upload goes, unless an upload
    // of the same bytes is still on its way.
    return !(await bytesStillNeeded(tx, asset.organizationId, asset.sha256, asset.id, ['PENDING', 'PROCESSING']));
  });
  if (deleteUpload === null) return false;
  if (deleteUpload) await deps.storage.delete(uploadKey(asset.organizationId, asset.sha256));
  return true;
}
