import type { MediaAsset, MediaVariant } from '@token-nexus/prisma';
import type { MediaStorage } from '../storage/media-storage.ts';
import { fileKey } from '../processing/process-upload.ts';

/** The longest a signed URL lasts where a URL must outlive a visit (S3's presigning limit). */
const longestSignedSeconds = 7 * 24 * 3600;

/** How long a variant's signed URL works for a member (a page of media in the dashboard). */
export const variantUrlSeconds = 3600;

/**
 * A URL of a stored object: for anyone (a published page's asset) the backend's public,
 * immutable URL when it has one, else the longest signed one; for a member, signed for
 * `expiresInSeconds`.
 */
export async function objectUrl(
  storage: MediaStorage,
  key: string,
  options: { publicAccess: boolean; expiresInSeconds: number; filename?: string; contentType?: string },
): Promise<string> {
  if (options.publicAccess) {
    return storage.publicUrl(key) ?? (await storage.presignDownload(key, { expiresInSeconds: longestSignedSeconds, contentType: options.contentType }));
  }
  return storage.presignDownload(key, {
    expiresInSeconds: options.expiresInSeconds,
    ...(options.filename ? { filename: options.filename } : {}),
    ...(options.contentType ? { contentType: options.contentType } : {}),
  });
}

/** Where an asset's own bytes are served from: a raster image's stripped original, else the copy of its checked bytes. */
export function assetKey(asset: MediaAsset, variants: MediaVariant[]): string {
  return variants.find((variant) => variant.name === 'original')?.storageKey ?? fileKey(asset.organizationId, asset.sha256);
}
