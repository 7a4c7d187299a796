import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { finished, pipeline } from 'node:stream/promises';
import { Readable, Transform } from 'node:stream';
import type { MediaStorage, StoredObject } from './media-storage.ts';

/**
 * The only keys the folder backend stores: an organization, uploads or variants, a SHA-256
 * and an optional short extension. Nothing else can reach the file system: no `..`, no
 * absolute path, no separator or character a path could be bent with.
 */
export const mediaKeyPattern = /^orgs\/[0-9a-f-]{36}\/(uploads|files|variants)\/[0-9a-f]{64}(\.[a-z0-9]{1,8})?$/;

/** Whether `key` is one the folder backend stores (see mediaKeyPattern). */
export function isMediaKey(key: string): boolean {
  return mediaKeyPattern.test(key);
}

/** Variants are content-addressed and published with pages; uploads are never public. */
export function isVariantKey(key: string): boolean {
  return isMediaKey(key) && key.split('/')[2] === 'variants';
}

/** The paths, on the graph's public origin, under which the gateway serves the folder's files. */
export const folderPaths = {
  /** Signed uploads and downloads: `/media/files/<key>?op=…&expires=…&sig=…`. */
  files: '/media/files/',
  /** Variants, unsigned and immutable: `/media/public/<variant key>`. */
  public: '/media/public/',
} as const;

/** S3 refuses presigned URLs valid for longer than 7 days; the folder backend keeps the same bound. */
export const maxUrlLifetimeSeconds = 7 * 24 * 60 * 60;

/** A lifetime callers asked for, within what a signed URL may have (1 second to 7 days). */
export function clampUrlLifetime(expiresInSeconds: number): number {
  if (!Number.isFinite(expiresInSeconds)) return maxUrlLifetimeSeconds;
  return Math.min(maxUrlLifetimeSeconds, Math.max(1, Math.floor(expiresInSeconds)));
}

/**
 * Everything a folder URL's signature covers. `type` and `size` are the upload's declared
 * content type and byte size (op `put`); `type` and `filename` the response overrides of a
 * download (op `get`). A field that is absent is signed as absent, so one cannot be added
 * to a URL afterwards.
 */
export interface FolderUrlClaims {
  op: 'put' | 'get' | 'public';
  key: string;
  /** Unix seconds, as it appears in the URL. */
  expires: string;
  type: string | null;
  size: string | null;
  filename: string | null;
}

/** What checking a URL found; only a matching signature says anything about expiry. */
export type FolderUrlVerdict = 'valid' | 'expired' | 'forged';

export interface FolderUrlSigner {
  sign(claims: FolderUrlClaims): string;
  /** `nowMs` is the clock (milliseconds since the epoch). */
  verify(claims: FolderUrlClaims, signature: string | null, nowMs: number): FolderUrlVerdict;
  /**
   * The signature of a variant's public URL: it never expires (a published page's images
   * are immutable and cached for ever), but only the graph makes one, and only for what a
   * published page shows. A member's short-lived URL of the same variant is not one.
   */
  signPublic(key: string): string;
  verifyPublic(key: string, signature: string | null): boolean;
}

/**
 * Signs and checks folder URLs. The key is derived from the signing secret for this one
 * purpose, so a media URL's signature can never pass for any other signature made with the
 * same secret. The claims are signed as a JSON array: no choice of values can make two
 * different claims serialise alike.
 */
export function createFolderUrlSigner(signingSecret: string): FolderUrlSigner {
  const key = createHmac('sha256', signingSecret).update('media-url:v1').digest();
  const mac = (claims: FolderUrlClaims) =>
    createHmac('sha256', key)
      .update(JSON.stringify([claims.op, claims.key, claims.expires, claims.type, claims.size, claims.filename]))
      .digest('base64url');
  const publicMac = (key: string) => mac({ op: 'public', key, expires: 'never', type: null, size: null, filename: null });
  return {
    sign: mac,
    signPublic: publicMac,
    verifyPublic(objectKey, signature) {
      if (!signature) return false;
      const expected = Buffer.from(publicMac(objectKey));
      const given = Buffer.from(signature);
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
    verify(claims, signature, nowMs) {
      if (!signature || !/^\d{1,12}$/.test(claims.expires)) return 'forged';
      const expected = Buffer.from(mac(claims));
      const given = Buffer.from(signature);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'forged';
      return Number(claims.expires) * 1000 <= nowMs ? 'expired' : 'valid';
    },
  };
}

/**
 * `Content-Disposition` for a download saved as `filename` (RFC 6266): a plain ASCII
 * `filename` for old clients and the exact name, UTF-8 and percent-encoded, in `filename*`.
 * Raster images, audio and video are shown `inline`; everything else (SVG, PDF, documents,
 * unknown types) is an `attachment`, so that a browser never renders a user's file as a
 * page of the origin that serves it.
 */
export function contentDisposition(filename: string, contentType: string | null | undefined): string {
  // Control characters and path separators have no place in a saved file's name.
  const cleaned = filename.replace(/[\p{Cc}/\\]/gu, '_').trim() || 'download';
  const ascii = cleaned.replace(/[^\x20-\x7e]/g, '_').replace(/["%]/g, '_');
  const encoded = encodeURIComponent(cleaned).replace(/['()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
  const type = inlineTypes.test(contentType ?? '') ? 'inline' : 'attachment';
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

const inlineTypes = /^(image\/(png|jpeg|gif|webp|avif)|audio\/[\w.+-]+|video\/[\w.+-]+)\s*(;|$)/i;

/** Where a key's bytes live under the folder; the key must already be a media key. */
export function objectPath(directory: string, key: string): string {
  if (!isMediaKey(key)) throw new Error(`Not a media storage key: ${JSON.stringify(key)}`);
  return join(directory, ...key.split('/'));
}

/**
 * The sidecar holding what a file is served as. Named `<file>.meta.json`, not `<file>.json`:
 * `<sha>.json` is a valid key (an upload with a `.json` extension), a double extension never is.
 */
function sidecarPath(file: string): string {
  return `${file}.meta.json`;
}

interface Sidecar {
  contentType: string;
}

/** The stored file's sidecar, or null when it has none (or one that cannot be read). */
export async function readSidecar(file: string): Promise<Sidecar | null> {
  try {
    const parsed = JSON.parse(await readFile(sidecarPath(file), 'utf8')) as Partial<Sidecar>;
    return typeof parsed.contentType === 'string' ? { contentType: parsed.contentType } : null;
  } catch {
    return null;
  }
}

/** Thrown by writeObjectFile when the body is not exactly the size it was declared with. */
export class BodySizeMismatchError extends Error {
  constructor(
    readonly declaredBytes: number,
    readonly received: 'more' | 'fewer',
  ) {
    super(`The body has ${received} bytes than the ${declaredBytes} declared`);
  }
}

/**
 * Stores `body` at `key`, all or nothing: the bytes go to a temporary file next to the
 * target and are renamed over it once complete and exactly `byteSize` long, so a reader
 * never sees half a file and a refused body leaves nothing behind. The body is never
 * destroyed here (when it is a request, the caller still answers on its socket): a body
 * that runs past `byteSize` is only unpiped.
 *
 * @throws BodySizeMismatchError when the body is longer or shorter than `byteSize`.
 */
export async function writeObjectFile(
  directory: string,
  key: string,
  body: Readable,
  options: { contentType: string; byteSize: number },
): Promise<void> {
  const file = objectPath(directory, key);
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.${randomBytes(8).toString('hex')}.tmp`;
  let received = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      received += chunk.length;
      if (received > options.byteSize) callback(new BodySizeMismatchError(options.byteSize, 'more'));
      else callback(null, chunk);
    },
  });
  // A body that fails or closes early (a client gone mid-upload) fails the write.
  finished(body, { writable: false }).catch((error: unknown) => {
    counter.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  try {
    const written = pipeline(counter, createWriteStream(temporary, { flags: 'wx' }));
    body.pipe(counter);
    await written;
    if (received !== options.byteSize) throw new BodySizeMismatchError(options.byteSize, 'fewer');
    await writeFile(`${temporary}.meta`, JSON.stringify({ contentType: options.contentType } satisfies Sidecar));
    await rename(`${temporary}.meta`, sidecarPath(file));
    await rename(temporary, file);
  } catch (error) {
    body.unpipe(counter);
    await Promise.all([rm(temporary, { force: true }), rm(`${temporary}.meta`, { force: true })]);
    throw error;
  }
}

/**
 * The embedded default backend: files under `directory` (`.data/media`), whose upload and
 * download URLs the graph signs itself and the gateway serves (see folder-route.ts):
 * `${publicOrigin()}/media/files/<key>?op=put|get&expires=<unix>&sig=<hmac>`. A URL names
 * one key, one operation and an expiry; an upload's also names its content type and size,
 * a download's its response overrides: changing any of them breaks the signature.
 *
 * `publicOrigin` is read at each signing (the origin is known once the gateway listens);
 * `now` is the clock, for tests.
 */
export function createFolderStorage(options: {
  directory: string;
  signingSecret: string;
  publicOrigin: () => string;
  now?: () => number;
}): MediaStorage {
  const signer = createFolderUrlSigner(options.signingSecret);
  const now = options.now ?? Date.now;
  const signedUrl = (claims: Omit<FolderUrlClaims, 'expires'>, expiresInSeconds: number) => {
    const expires = Math.floor(now() / 1000) + clampUrlLifetime(expiresInSeconds);
    const signed: FolderUrlClaims = { ...claims, expires: String(expires) };
    const query = new URLSearchParams({ op: claims.op, expires: signed.expires });
    if (claims.type !== null) query.set('type', claims.type);
    if (claims.size !== null) query.set('size', claims.size);
    if (claims.filename !== null) query.set('filename', claims.filename);
    query.set('sig', signer.sign(signed));
    return { url: `${origin()}${folderPaths.files}${claims.key}?${query}`, expiresAt: new Date(expires * 1000) };
  };
  const origin = () => options.publicOrigin().replace(/\/+$/, '');
  const checkedKey = (key: string) => {
    objectPath(options.directory, key);
    return key;
  };

  return {
    kind: 'folder',
    async presignUpload(key, { contentType, byteSize, expiresInSeconds }) {
      if (!Number.isSafeInteger(byteSize) || byteSize < 0) throw new Error(`Not a byte size: ${byteSize}`);
      const { url, expiresAt } = signedUrl(
        { op: 'put', key: checkedKey(key), type: headerValue(contentType), size: String(byteSize), filename: null },
        expiresInSeconds,
      );
      // Content-Length is set by the client's HTTP stack (browsers refuse to set it); the
      // route refuses a body of any other size than the signed one.
      return { url, method: 'PUT', headers: { 'content-type': contentType }, expiresAt };
    },
    async presignDownload(key, { expiresInSeconds, filename, contentType }) {
      return signedUrl(
        {
          op: 'get',
          key: checkedKey(key),
          type: contentType === undefined ? null : headerValue(contentType),
          size: null,
          filename: filename ?? null,
        },
        expiresInSeconds,
      ).url;
    },
    publicUrl(key) {
      return isVariantKey(key) ? `${origin()}${folderPaths.public}${key}?sig=${signer.signPublic(key)}` : null;
    },
    async head(key): Promise<StoredObject | null> {
      const file = objectPath(options.directory, key);
      try {
        const stats = await stat(file);
        if (!stats.isFile()) return null;
        return { byteSize: stats.size, contentType: (await readSidecar(file))?.contentType ?? null };
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
    },
    async read(key) {
      // Opened before returning, so a missing object fails here, not later in the stream.
      const handle = await open(objectPath(options.directory, key), 'r');
      return handle.createReadStream();
    },
    async write(key, body, { contentType, byteSize }) {
      // `immutable` needs nothing stored: the public route serves every variant as immutable.
      await writeObjectFile(options.directory, key, Buffer.isBuffer(body) ? Readable.from([body]) : body, {
        contentType: headerValue(contentType),
        byteSize,
      });
    },
    async delete(key) {
      const file = objectPath(options.directory, key);
      await Promise.all([rm(file, { force: true }), rm(sidecarPath(file), { force: true })]);
    },
  };
}

/** A content type that is served as a header: printable ASCII only (no header injection). */
function headerValue(value: string): string {
  if (!/^[\x20-\x7e]{1,255}$/.test(value)) throw new Error(`Not a content type: ${JSON.stringify(value)}`);
  return value;
}

export function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';
}
