import type { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { clampUrlLifetime, contentDisposition, isVariantKey } from './folder-storage.ts';
import type { MediaStorage, StoredObject } from './media-storage.ts';

export interface S3StorageOptions {
  /** An S3-compatible server's URL (MinIO…); absent for AWS S3 itself. */
  endpoint?: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** `<endpoint>/<bucket>/<key>` rather than `<bucket>.<endpoint>/<key>`: what MinIO and most self-hosted servers need. */
  forcePathStyle: boolean;
  /**
   * Where the bucket's variants can be read without a signature (a CDN, or a bucket policy
   * granting public read on the variants' keys); null when nothing is public.
   */
  publicBaseUrl?: string | null;
  /** The clock (milliseconds since the epoch), for tests. */
  now?: () => number;
}

/** Variants are content-addressed: what is at their key never changes. */
const immutableCaching = 'public, max-age=31536000, immutable';

/**
 * Media in S3-compatible object storage: clients upload and download straight to and from
 * the bucket through presigned URLs (SigV4, at most 7 days, as S3 allows), so no byte of
 * media passes through the graph. Each URL is signed for one key and one operation; an
 * upload's also for its Content-Type and Content-Length.
 */
export function createS3Storage(options: S3StorageOptions): MediaStorage {
  const client = new S3Client({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    forcePathStyle: options.forcePathStyle,
    credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
    // Since 3.729 the SDK adds CRC32 checksums to every upload and expects them on
    // downloads; MinIO versions, s3rver and other S3-compatible servers refuse or lack
    // them. Only the operations that S3 itself requires a checksum for get one.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const bucket = options.bucket;
  const now = options.now ?? Date.now;
  const publicBaseUrl = options.publicBaseUrl ? options.publicBaseUrl.replace(/\/+$/, '') : null;

  return {
    kind: 's3',
    async presignUpload(key, { contentType, byteSize, expiresInSeconds }) {
      // Whole seconds, as X-Amz-Date has them: expiresAt is then exactly when S3 stops taking the URL.
      const signedAt = Math.floor(now() / 1000) * 1000;
      const lifetime = clampUrlLifetime(expiresInSeconds);
      const url = await getSignedUrl(
        client,
        new PutObjectCommand({ Bucket: bucket, Key: key, ContentType: contentType, ContentLength: byteSize }),
        {
          expiresIn: lifetime,
          signingDate: new Date(signedAt),
          // Signed, so S3 refuses a body of another type or size than the one declared.
          signableHeaders: new Set(['content-type', 'content-length']),
        },
      );
      // Content-Length is signed but not returned: the client's HTTP stack sets it from the
      // body (browsers refuse to let scripts set it), and S3 refuses a body of another size.
      return { url, method: 'PUT', headers: { 'content-type': contentType }, expiresAt: new Date(signedAt + lifetime * 1000) };
    },
    async presignDownload(key, { expiresInSeconds, filename, contentType }) {
      return getSignedUrl(
        client,
        new GetObjectCommand({
          Bucket: bucket,
          Key: key,
          ...(filename !== undefined ? { ResponseContentDisposition: contentDisposition(filename, contentType) } : {}),
          ...(contentType !== undefined ? { ResponseContentType: contentType } : {}),
        }),
        { expiresIn: clampUrlLifetime(expiresInSeconds), signingDate: new Date(now()) },
      );
    },
    publicUrl(key) {
      // Uploads are never public (they may still hold EXIF and GPS data, or be refused).
      return publicBaseUrl && isVariantKey(key) ? `${publicBaseUrl}/${key}` : null;
    },
    async head(key): Promise<StoredObject | null> {
      try {
        const object = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        return { byteSize: object.ContentLength ?? 0, contentType: object.ContentType ?? null };
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
    },
    async read(key) {
      const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      // In Node the SDK's body is the response's IncomingMessage (a Readable).
      return object.Body as Readable;
    },
    async write(key, body, { contentType, byteSize, immutable }) {
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: body,
          ContentType: contentType,
          // Known up front, so a stream is sent as it is, not buffered or chunk-signed.
          ContentLength: byteSize,
          ...(immutable ? { CacheControl: immutableCaching } : {}),
        }),
      );
    },
    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },
  };
}

/** HEAD answers a missing object with a bare 404 (`NotFound`); some servers say `NoSuchKey`. */
function isNotFound(error: unknown): boolean {
  if (!(error instanceof S3ServiceException)) return false;
  return error.name === 'NotFound' || error.name === 'NoSuchKey' || error.$metadata.httpStatusCode === 404;
}
