import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { sendJson } from '@token-nexus/shared';
import {
  BodySizeMismatchError,
  contentDisposition,
  createFolderUrlSigner,
  folderPaths,
  isMediaKey,
  isMissing,
  isVariantKey,
  objectPath,
  readSidecar,
  writeObjectFile,
  type FolderUrlClaims,
} from './folder-storage.ts';

export interface FolderRouteDeps {
  /** The folder the files are stored under (the same as the folder storage's). */
  directory: string;
  /** The secret the folder storage signs its URLs with. */
  signingSecret: string;
  /** MEDIA_MAX_BYTES: no upload is accepted above it, whatever its URL says. */
  maxBytes: number;
  /** The clock (milliseconds since the epoch), for tests. */
  now?: () => number;
}

/** Variants are content-addressed: what is at their URL never changes. */
const immutableCaching = 'public, max-age=31536000, immutable';

/**
 * Types a browser would run as a document (scripts, links to elsewhere): served sandboxed,
 * with nothing allowed to load. SVG is the one processing lets through (sanitised); the
 * others are refused by processing, but an upload is stored before it is checked.
 */
const activeContentTypes = /^(image\/svg\+xml|text\/html|application\/xhtml\+xml|text\/xml|application\/xml)\s*(;|$)/i;
const sandboxPolicy = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

/**
 * The media subgraph's HTTP route for the folder backend (the gateway passes these paths
 * through, on the graph's public origin):
 *
 * - `PUT /media/files/<key>?op=put&expires&type&size&sig`: stores the body, which must
 *   declare its Content-Length (411, as S3 does), be exactly the signed size (larger: 413,
 *   smaller: 400) and have the signed content type (400). It is streamed to a temporary
 *   file and renamed into place: a refused body leaves nothing.
 * - `GET|HEAD /media/files/<key>?op=get&expires[&filename][&type]&sig`: serves the object.
 * - `GET|HEAD /media/public/<variant key>`: serves a variant, unsigned and immutable; uploads
 *   are never served here (404).
 *
 * A URL whose signature does not match, or that has expired, is refused with 403 and an
 * `{ error, reason }` saying which (`signature` or `expired`): the URL is the only
 * credential, and it names one key, one operation and its parameters.
 *
 * @returns false when the path is not one of these (another route may take it).
 */
export async function handleFolderRoute(
  request: IncomingMessage,
  response: ServerResponse,
  deps: FolderRouteDeps,
): Promise<boolean> {
  const target = request.url ?? '/';
  const queryAt = target.indexOf('?');
  // The raw path, not a parsed URL's: parsing would resolve `..` segments before the key is checked.
  const path = queryAt === -1 ? target : target.slice(0, queryAt);
  const query = new URLSearchParams(queryAt === -1 ? '' : target.slice(queryAt + 1));
  if (!path.startsWith(folderPaths.files) && !path.startsWith(folderPaths.public)) return false;
  if (request.method === 'PUT' && !(Number(request.headers['content-length']) <= deps.maxBytes)) {
    // A body this route refuses unread (no length, or more than any upload may be): the
    // connection is closed after the answer. A body it could take is drained by Node when
    // refused (keep-alive), so that a proxy still sending it reads the answer.
    response.setHeader('connection', 'close');
  }
  if (path.startsWith(folderPaths.files)) {
    await serveSigned(request, response, path.slice(folderPaths.files.length), query, deps);
  } else {
    await servePublic(request, response, path.slice(folderPaths.public.length), deps);
  }
  return true;
}

async function serveSigned(
  request: IncomingMessage,
  response: ServerResponse,
  key: string,
  query: URLSearchParams,
  deps: FolderRouteDeps,
): Promise<void> {
  const op = request.method === 'PUT' ? 'put' : request.method === 'GET' || request.method === 'HEAD' ? 'get' : null;
  if (!op) return refuse(response, 405, 'Use GET, HEAD or PUT.', { allow: 'GET, HEAD, PUT' });
  if (!isMediaKey(key)) return refuse(response, 400, 'This is not a media storage key.');
  if (query.get('op') !== op) return refuse(response, 403, `This URL was not signed for ${request.method}.`, {}, 'signature');
  const claims: FolderUrlClaims = {
    op,
    key,
    expires: query.get('expires') ?? '',
    type: query.get('type'),
    size: query.get('size'),
    filename: query.get('filename'),
  };
  const now = (deps.now ?? Date.now)();
  const verdict = createFolderUrlSigner(deps.signingSecret).verify(claims, query.get('sig'), now);
  if (verdict === 'forged') {
    return refuse(response, 403, 'This URL is not valid: it was signed for another object or operation, or altered.', {}, 'signature');
  }
  if (verdict === 'expired') return refuse(response, 403, 'This URL has expired. Ask for a new one.', {}, 'expired');
  if (op === 'put') return receiveUpload(request, response, claims, deps);
  const contentType = claims.type;
  await serveFile(request, response, objectPath(deps.directory, key), {
    contentType,
    disposition: claims.filename === null ? null : (sidecarType) => contentDisposition(claims.filename!, contentType ?? sidecarType),
    // A signed URL is one reader's: shared caches keep nothing, the reader keeps it until it expires.
    cacheControl: `private, max-age=${Math.max(0, Number(claims.expires) - Math.floor(now / 1000))}`,
    etag: etagOf(key),
  });
}

async function receiveUpload(
  request: IncomingMessage,
  response: ServerResponse,
  claims: FolderUrlClaims,
  deps: FolderRouteDeps,
): Promise<void> {
  const size = Number(claims.size);
  // Both are signed by us, so only a storage bug gets here without them.
  if (claims.type === null || claims.size === null || !Number.isSafeInteger(size)) {
    return refuse(response, 400, 'This upload URL names no content type or size.');
  }
  if (size > deps.maxBytes) return refuse(response, 413, `Uploads are limited to ${deps.maxBytes} bytes.`);
  if (request.headers['content-type'] !== claims.type) {
    return refuse(response, 400, `The body's Content-Type must be ${claims.type}, as signed.`);
  }
  // As S3 does (411 MissingContentLength): the size is known before a byte is stored.
  if (request.headers['content-length'] === undefined) return refuse(response, 411, 'Send the body with a Content-Length.');
  const declared = Number(request.headers['content-length']);
  if (declared > size) return refuse(response, 413, `The body must be ${size} bytes, as signed.`);
  if (declared < size) return refuse(response, 400, `The body must be ${size} bytes, as signed.`);
  try {
    await writeObjectFile(deps.directory, claims.key, request, { contentType: claims.type, byteSize: size });
  } catch (error) {
    if (!(error instanceof BodySizeMismatchError)) throw error;
    return refuse(response, error.received === 'more' ? 413 : 400, `The body must be ${size} bytes, as signed.`);
  }
  response.writeHead(200, { 'content-length': 0 }).end();
}

async function servePublic(request: IncomingMessage, response: ServerResponse, key: string, deps: FolderRouteDeps): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(response, 405, 'Use GET or HEAD.', { allow: 'GET, HEAD' });
  // An upload key is answered like a missing object: whether an upload exists is nobody's business.
  if (!isVariantKey(key)) return refuse(response, 404, 'not found');
  const signature = new URL(request.url ?? '/', 'http://localhost').searchParams.get('sig');
  if (!createFolderUrlSigner(deps.signingSecret).verifyPublic(key, signature)) {
    return refuse(response, 403, 'This public URL is not one the graph made.', {}, 'signature');
  }
  await serveFile(request, response, objectPath(deps.directory, key), {
    contentType: null,
    disposition: null,
    cacheControl: immutableCaching,
    etag: etagOf(key),
  });
}

/**
 * A variant's key is the SHA-256 of its bytes, so it is their entity tag. An upload's key is
 * the hash its uploader declared, true only once processing has checked it: no tag.
 */
function etagOf(key: string): string | null {
  if (!isVariantKey(key)) return null;
  return `"${key.slice(key.lastIndexOf('/') + 1).split('.')[0]}"`;
}

/**
 * Serves a stored file to GET (streamed, with a single byte range when asked) or HEAD, as
 * its stored type unless the URL overrides it, never sniffed, and sandboxed when a browser
 * would run it as a document.
 */
async function serveFile(
  request: IncomingMessage,
  response: ServerResponse,
  file: string,
  options: {
    contentType: string | null;
    disposition: ((storedType: string | null) => string) | null;
    cacheControl: string;
    etag: string | null;
  },
): Promise<void> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if (isMissing(error)) return refuse(response, 404, 'not found');
    throw error;
  }
  let streaming = false;
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return refuse(response, 404, 'not found');
    const storedType = (await readSidecar(file))?.contentType ?? null;
    const contentType = options.contentType ?? storedType ?? 'application/octet-stream';
    const headers: Record<string, string | number> = {
      'content-type': contentType,
      'cache-control': options.cacheControl,
      'x-content-type-options': 'nosniff',
      'accept-ranges': 'bytes',
    };
    if (activeContentTypes.test(contentType)) headers['content-security-policy'] = sandboxPolicy;
    if (options.disposition) headers['content-disposition'] = options.disposition(storedType);
    if (options.etag) {
      headers.etag = options.etag;
      if (request.headers['if-none-match']?.split(/\s*,\s*/).includes(options.etag)) {
        response.writeHead(304, { etag: options.etag, 'cache-control': options.cacheControl }).end();
        return;
      }
    }
    const range = byteRange(request.headers.range, stats.size);
    if (range === 'unsatisfiable') {
      response.writeHead(416, { 'content-range': `bytes */${stats.size}` }).end();
      return;
    }
    const [start, end] = range ?? [0, stats.size - 1];
    headers['content-length'] = stats.size === 0 ? 0 : end - start + 1;
    if (range) headers['content-range'] = `bytes ${start}-${end}/${stats.size}`;
    response.writeHead(range ? 206 : 200, headers);
    if (request.method === 'HEAD' || stats.size === 0) {
      response.end();
      return;
    }
    streaming = true;
    // The stream closes the handle when it ends or is destroyed (a reader gone mid-way).
    await pipeline(handle.createReadStream({ start, end }), response).catch(() => undefined);
  } finally {
    if (!streaming) await handle.close();
  }
}

/**
 * The single range a `Range: bytes=a-b` (or `a-`, or `-suffix`) header asks for; null to
 * serve the whole file (no header, several ranges, or a syntax this does not read, as
 * RFC 9110 allows); `unsatisfiable` when it starts past the end.
 */
function byteRange(header: string | undefined, size: number): [number, number] | 'unsatisfiable' | null {
  const match = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!match || (match[1] === '' && match[2] === '')) return null;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return [Math.max(0, size - suffix), size - 1];
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size) return 'unsatisfiable';
  if (end < start) return null;
  return [start, end];
}

/** Answers with `{ error, reason? }`; `reason` says why a URL was refused. */
function refuse(
  response: ServerResponse,
  status: number,
  error: string,
  headers: Record<string, string> = {},
  reason?: 'signature' | 'expired',
): void {
  sendJson(response, status, reason ? { error, reason } : { error }, headers);
}
