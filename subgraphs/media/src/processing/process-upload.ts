import type { MediaKind } from '@token-nexus/prisma';
import type { MediaStorage } from '../storage/media-storage.ts';

/** What the uploader declared in createMediaUpload: what the bytes must turn out to be. */
export interface DeclaredUpload {
  organizationId: string;
  filename: string;
  contentType: string;
  byteSize: number;
  /** Hex SHA-256. */
  sha256: string;
}

export interface ProcessingLimits {
  /** MEDIA_MAX_BYTES (default 25 MB). */
  maxBytes: number;
  /** The most pixels an image may decode to (decompression bombs). */
  maxPixels: number;
}

/** A file made from the upload, already written to storage. */
export interface ProducedVariant {
  name: 'original' | 'thumb' | 'medium' | 'large';
  width: number;
  height: number;
  contentType: string;
  byteSize: number;
  storageKey: string;
}

export type ProcessResult =
  | {
      outcome: 'ready';
      /** The type the bytes were found to be (agrees with the declared one). */
      contentType: string;
      kind: MediaKind;
      width: number | null;
      height: number | null;
      variants: ProducedVariant[];
      /**
       * Whether the checked bytes are served as they are, from `fileKey` (documents, audio,
       * video, clean SVG), or replaced by the stripped `original` variant (raster images,
       * whose upload may hold EXIF and GPS data). The upload itself is deleted either way.
       */
      servesUpload: boolean;
    }
  | { outcome: 'rejected'; reason: string };

/** Where an organization's upload is stored: by its content, so the same file is stored once. */
export function uploadKey(organizationId: string, sha256: string): string {
  return `orgs/${organizationId}/uploads/${sha256}`;
}

/**
 * Where a checked file is served from (a document, a sound, a video, a clean SVG): a copy
 * of the bytes processing verified, written from those bytes, so nothing sent to an upload
 * URL afterwards (the same key can be uploaded to again) can replace what was checked.
 */
export function fileKey(organizationId: string, sha256: string): string {
  return `orgs/${organizationId}/files/${sha256}`;
}

/** Where a variant is stored: by its own content, so its URL is immutable. */
export function variantKey(organizationId: string, sha256: string, extension: string): string {
  return `orgs/${organizationId}/variants/${sha256}.${extension}`;
}

/** The signature `process-upload` implementations follow (see processUpload). */
export type ProcessUpload = (storage: MediaStorage, declared: DeclaredUpload, limits: ProcessingLimits) => Promise<ProcessResult>;
