import { auditedTransaction, enqueueJob, recordWebhookEvent, type MediaAsset, type Prisma } from '@token-nexus/prisma';
import {
  BadUserInputError,
  ConflictError,
  NotFoundError,
  QuotaExceededError,
  afterNewestFirst,
  decodeNewestFirstCursor,
  newestFirstCursorOf,
  newestFirstOrder,
  parseInput,
  parsePageRequest,
  toConnection,
} from '@token-nexus/shared';
import { z } from 'zod';
import type { MediaContext } from '../context.ts';
import { processMediaJob } from '../jobs/process-media-job-definition.ts';
import type { MediaAssetConnectionModel, MediaUploadModel } from '../models.ts';
import { policy } from '../policy.ts';
import { fileKey, uploadKey } from '../processing/process-upload.ts';
import { parseUpdateInput, parseUploadInput } from '../validation/upload-input.ts';
import { publishedPagesUsing } from './page-usage.ts';
import { bytesStillNeeded, storedBytes } from './storage-use.ts';

const uuid = z.uuid('must be an id returned by this API');
const kinds = z.enum(['IMAGE', 'DOCUMENT', 'VIDEO', 'AUDIO', 'OTHER']);

/** An asset the caller may see, or null (missing, deleted or another organization's: the same to them). */
export async function findAsset(ctx: MediaContext, rawId: unknown): Promise<MediaAsset | null> {
  const id = parseInput(uuid, rawId, 'id');
  const asset = await ctx.prisma.mediaAsset.findFirst({ where: { id, deletedAt: null } });
  if (!asset || !(await policy.canRead(ctx, asset.organizationId))) return null;
  return asset;
}

/** An asset the caller may change; NOT_FOUND when they cannot see it. */
async function requireChangeableAsset(ctx: MediaContext, rawId: unknown): Promise<MediaAsset> {
  const id = parseInput(uuid, rawId, 'id');
  const asset = await ctx.prisma.mediaAsset.findFirst({ where: { id, deletedAt: null } });
  if (!asset) throw new NotFoundError('The media asset does not exist.');
  await policy.assertCanChange(ctx, asset);
  return asset;
}

export async function listAssets(
  ctx: MediaContext,
  args: { orgId: unknown; kind?: unknown; search?: string | null; first?: number | null; after?: string | null },
): Promise<MediaAssetConnectionModel> {
  const organizationId = parseInput(uuid, args.orgId, 'orgId');
  const kind = args.kind == null ? undefined : parseInput(kinds, args.kind, 'kind');
  const search = args.search == null ? undefined : parseInput(z.string().trim().min(1).max(100), args.search, 'search');
  await policy.assertCanRead(ctx, organizationId);
  const page = parsePageRequest(args, decodeNewestFirstCursor);
  const contains = (field: 'filename' | 'title' | 'alt') => ({ [field]: { contains: search, mode: 'insensitive' as const } });
  const rows = await ctx.prisma.mediaAsset.findMany({
    where: {
      organizationId,
      deletedAt: null,
      ...(kind ? { kind } : {}),
      ...(search ? { OR: [contains('filename'), contains('title'), contains('alt')] } : {}),
      ...afterNewestFirst(page.after),
    },
    orderBy: newestFirstOrder,
    take: page.limit + 1,
  });
  return toConnection(rows, page, newestFirstCursorOf);
}

export async function createUpload(ctx: MediaContext, args: { orgId: unknown; input: unknown }): Promise<MediaUploadModel> {
  const organizationId = parseInput(uuid, args.orgId, 'orgId');
  const createdById = policy.requireViewer(ctx);
  await policy.assertCanUpload(ctx, organizationId);
  const input = parseUploadInput(args.input, ctx.limits.maxBytes);
  const expiresAt = new Date(Date.now() + ctx.limits.uploadExpiresSeconds * 1000);
  const { asset, alreadyStored } = await auditedTransaction(ctx.prisma, ctx.audit, async (tx, audit) => {
    // One organization's uploads take turns here, so two at once cannot both fit the last of the quota.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`media.quota:${organizationId}`}))`;
    // The same bytes have the same SHA-256 and the same size: a declaration of a held hash
    // with another size is not them (it can only end REJECTED), and must not pass the quota
    // on their account (a pending 1-byte declaration would let any size through).
    const sameBytes = { organizationId, sha256: input.sha256, byteSize: input.byteSize, deletedAt: null };
    const twin = await tx.mediaAsset.findFirst({ where: { ...sameBytes, status: 'READY' } });
    const held = await storedBytes(tx, organizationId);
    const sameBytesHeld = twin !== null || (await tx.mediaAsset.count({ where: { ...sameBytes, status: { in: ['PENDING', 'PROCESSING'] }, uploadExpiresAt: { gt: new Date() } } })) > 0;
    if (!sameBytesHeld && held + input.byteSize > ctx.limits.orgQuotaBytes) {
      throw new QuotaExceededError(
        `This upload of ${input.byteSize} bytes would take the organization over its storage quota: it holds ${held} of ${ctx.limits.orgQuotaBytes} bytes. Delete media it no longer needs.`,
        { usedBytes: held, quotaBytes: ctx.limits.orgQuotaBytes },
      );
    }
    const created = await tx.mediaAsset.create({
      data: {
        organizationId,
        filename: input.filename,
        contentType: input.contentType,
        kind: input.kind,
        byteSize: input.byteSize,
        sha256: input.sha256,
        title: input.title,
        alt: input.alt,
        uploadExpiresAt: expiresAt,
        createdById,
      },
    });
    audit({
      organizationId,
      action: 'media.upload_started',
      target: { type: 'media_asset', id: created.id },
      changes: { after: { filename: created.filename, contentType: created.contentType, byteSize: created.byteSize, sha256: created.sha256 } },
    });
    return { asset: created, alreadyStored: twin !== null };
  });
  const presigned = await ctx.storage.presignUpload(uploadKey(organizationId, input.sha256), {
    contentType: input.contentType,
    byteSize: input.byteSize,
    expiresInSeconds: ctx.limits.uploadExpiresSeconds,
  });
  ctx.notifyAssets([asset]);
  return { asset, assetId: asset.id, uploadUrl: presigned.url, uploadMethod: presigned.method, uploadHeaders: presigned.headers, expiresAt: presigned.expiresAt, alreadyStored };
}

export async function completeUpload(ctx: MediaContext, args: { id: unknown }): Promise<MediaAsset> {
  const asset = await requireChangeableAsset(ctx, args.id);
  if (asset.status !== 'PENDING') return asset;
  // Only the same bytes (hash and size) are READY already; another size goes to processing, which rejects it.
  const twin = await ctx.prisma.mediaAsset.findFirst({
    where: { organizationId: asset.organizationId, sha256: asset.sha256, byteSize: asset.byteSize, deletedAt: null, status: 'READY', id: { not: asset.id } },
    include: { variants: true },
  });
  if (!twin) {
    // An upload completed after its URL expired stopped counting against the quota when it
    // expired: it would slip past it (abandoned ones are swept, see abandoned-uploads.ts).
    if (asset.uploadExpiresAt <= new Date()) {
      throw new BadUserInputError('The upload URL of this asset has expired before it was completed: start a new upload.', { field: 'id' });
    }
    const stored = await ctx.storage.head(uploadKey(asset.organizationId, asset.sha256));
    if (!stored) throw new BadUserInputError('Nothing was uploaded for this asset yet: PUT the bytes to its uploadUrl first.', { field: 'id' });
  }
  const completed = await auditedTransaction(ctx.prisma, ctx.audit, async (tx, audit) => {
    const moved = await tx.mediaAsset.updateMany({ where: { id: asset.id, status: 'PENDING' }, data: { status: twin ? 'READY' : 'PROCESSING' } });
    if (moved.count === 0) return tx.mediaAsset.findUniqueOrThrow({ where: { id: asset.id } });
    if (twin) {
      // The organization holds these bytes processed already: the same result, no second processing.
      await tx.mediaVariant.createMany({ data: twin.variants.map(({ assetId: _assetId, ...variant }) => ({ ...variant, assetId: asset.id })) });
      await tx.mediaAsset.update({ where: { id: asset.id }, data: { contentType: twin.contentType, width: twin.width, height: twin.height } });
      await recordWebhookEvent(tx, { organizationId: asset.organizationId, type: 'media.ready', data: readyEventData({ ...asset, contentType: twin.contentType }) });
    } else {
      await enqueueJob(tx, processMediaJob, { assetId: asset.id });
    }
    audit({
      organizationId: asset.organizationId,
      action: 'media.upload_completed',
      target: { type: 'media_asset', id: asset.id },
      changes: { before: { status: 'PENDING' }, after: { status: twin ? 'READY' : 'PROCESSING' } },
    });
    return tx.mediaAsset.findUniqueOrThrow({ where: { id: asset.id } });
  });
  ctx.notifyAssets([completed]);
  return completed;
}

/** What `media.ready` receivers get: ids and public fields. */
export function readyEventData(asset: Pick<MediaAsset, 'id' | 'filename' | 'contentType' | 'kind' | 'byteSize' | 'sha256'>): Prisma.InputJsonObject {
  return { assetId: asset.id, filename: asset.filename, contentType: asset.contentType, kind: asset.kind, byteSize: asset.byteSize, sha256: asset.sha256 };
}

export async function updateAsset(ctx: MediaContext, args: { id: unknown; input: unknown }): Promise<MediaAsset> {
  const before = await requireChangeableAsset(ctx, args.id);
  const changes = parseUpdateInput(args.input);
  if (Object.keys(changes).length === 0) return before;
  const after = await auditedTransaction(ctx.prisma, ctx.audit, async (tx, audit) => {
    const updated = await tx.mediaAsset.update({ where: { id: before.id }, data: changes });
    audit({
      organizationId: before.organizationId,
      action: 'media.updated',
      target: { type: 'media_asset', id: before.id },
      changes: { before: { title: before.title, alt: before.alt }, after: { title: updated.title, alt: updated.alt } },
    });
    return updated;
  });
  ctx.notifyAssets([after]);
  return after;
}

export async function deleteAsset(ctx: MediaContext, args: { id: unknown }): Promise<boolean> {
  const asset = await requireChangeableAsset(ctx, args.id);
  const pages = await publishedPagesUsing(ctx, asset);
  if (pages.length > 0) {
    throw new ConflictError(`A published page uses this asset (${pages.map((page) => page.slug).join(', ')}): unpublish it or remove the asset from it first.`, {
      pages: pages.map((page) => page.id),
    });
  }
  const { keys } = await auditedTransaction(ctx.prisma, ctx.audit, async (tx, audit) => {
    await tx.mediaAsset.update({ where: { id: asset.id }, data: { deletedAt: new Date() } });
    audit({
      organizationId: asset.organizationId,
      action: 'media.deleted',
      target: { type: 'media_asset', id: asset.id },
      changes: { before: { filename: asset.filename, sha256: asset.sha256, status: asset.status } },
    });
    // The bytes go with the last asset of the organization that holds them.
    if (await bytesStillNeeded(tx, asset.organizationId, asset.sha256, asset.id)) return { keys: [] };
    const variants = await tx.mediaVariant.findMany({ where: { assetId: asset.id } });
    return {
      keys: [uploadKey(asset.organizationId, asset.sha256), fileKey(asset.organizationId, asset.sha256), ...variants.map((variant) => variant.storageKey)],
    };
  });
  await Promise.all(keys.map((key) => ctx.storage.delete(key).catch((error: unknown) => ctx.logger.warn({ err: error, key }, 'could not delete a media object'))));
  ctx.notifyAssets([asset]);
  return true;
}
