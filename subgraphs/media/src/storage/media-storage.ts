import type { Readable } from 'node:stream';

/** What a client needs to send the bytes of an upload straight to storage. */
export interface PresignedUpload {
  url: string;
  method: 'PUT';
  /** Headers the client must send with the body, exactly (the signature covers some of them). */
  headers: Record<string, string>;
  expiresAt: Date;
}

/** What storage holds at a key. */
export interface StoredObject {
  byteSize: number;
  contentType: string | null;
}

/**
 * Where media bytes live. Two backends implement it: S3-compatible object storage
 * (`s3-storage.ts`: AWS S3, MinIO… through @aws-sdk/client-s3 and its presigner) and, on
 * the embedded default, a folder (`folder-storage.ts`) whose URLs the graph signs itself
 * (HMAC, expiry) and the gateway serves. Keys are opaque paths like
 * `orgs/<organization>/uploads/<sha256>`; callers never build URLs themselves.
 */
export interface MediaStorage {
  /** Which backend: for logs and readiness, never for branching. */
  readonly kind: 's3' | 'folder';
  /**
   * A URL the client PUTs the bytes to, valid until `expiresAt`, for exactly this key
   * (a URL signed for one key cannot be used for another).
   */
  presignUpload(key: string, options: { contentType: string; byteSize: number; expiresInSeconds: number }): Promise<PresignedUpload>;
  /**
   * A URL to GET the object, valid for `expiresInSeconds`. `filename` sets the name a
   * browser saves it under (Content-Disposition); `contentType` the type it is served as.
   */
  presignDownload(key: string, options: { expiresInSeconds: number; filename?: string; contentType?: string }): Promise<string>;
  /**
   * A URL that never expires, for the immutable, content-addressed variants of published
   * pages (anyone may read a published page's images). Null when the backend has none
   * configured: the caller then signs a download valid for as long as the backend allows.
   */
  publicUrl(key: string): string | null;
  /** What is stored at the key, or null when nothing is. */
  head(key: string): Promise<StoredObject | null>;
  /** The object's bytes as a stream (the caller consumes or destroys it). */
  read(key: string): Promise<Readable>;
  /** Stores bytes at the key (replacing what was there), with the type it is served as. */
  write(key: string, body: Buffer | Readable, options: { contentType: string; byteSize: number; immutable?: boolean }): Promise<void>;
  /** Deletes the object; nothing happens when there is none. */
  delete(key: string): Promise<void>;
}
