import type { MediaAsset, MediaVariant } from '@token-nexus/prisma';
import type { Connection } from '@token-nexus/shared';

/** An entity another subgraph owns, known here by its id only. */
export interface EntityReference {
  id: string;
}

/**
 * An asset as the resolvers pass it on. `publicAccess`: reached through a published page
 * (the cms subgraph's grant), so anyone may see it and its URLs are the public ones.
 */
export type MediaAssetModel = MediaAsset & { publicAccess?: boolean };

export type MediaAssetConnectionModel = Connection<MediaAssetModel>;

/** `MediaUpload` as the mutation answers it. */
export interface MediaUploadModel {
  asset: MediaAssetModel;
  assetId: string;
  uploadUrl: string;
  uploadMethod: string;
  uploadHeaders: Record<string, string>;
  expiresAt: Date;
  alreadyStored: boolean;
}

/** A variant with the URL it is served at (signed, or public through a published page). */
export type MediaVariantModel = MediaVariant & { url: string };
