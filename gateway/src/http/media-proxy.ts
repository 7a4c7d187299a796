import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sendJson } from '@token-nexus/shared';
import { request as undiciRequest } from 'undici';
import type { Route, RouteRequest } from './router.ts';

/** The media subgraph's file routes, on the graph's public origin, at the same paths. */
const mediaPrefixes = ['/media/files/', '/media/public/'] as const;

/**
 * What may follow the prefix: a storage key's characters, no empty or dot segments. The
 * media subgraph checks the key exactly; this only keeps anything else from reaching it.
 */
const keyShape = /^(?!.*(?:^|\/)\.{1,2}(?:\/|$))(?!.*\/\/)[A-Za-z0-9._/-]{1,300}$/;

/** What of the client's request the media route reads (the URL's query is the credential). */
const forwardedHeaders = ['content-type', 'content-length', 'range', 'if-none-match'] as const;

/** What of the media route's answer the client needs: the body's description and its caching. */
const answeredHeaders = [
  'content-type',
  'content-length',
  'content-disposition',
  'content-range',
  'accept-ranges',
  'cache-control',
  'etag',
  'content-security-policy',
  'x-content-type-options',
  'allow',
] as const;

/**
 * How long the media route may take to answer. An upload is answered once its last byte is
 * stored, and a 25 MB body from a slow client takes minutes; a download answers at once.
 */
const headersTimeoutMs = { PUT: 10 * 60_000, GET: 10_000, HEAD: 10_000 } as const;

/**
 * The embedded storage's upload and download URLs (`/media/files/<key>?…sig=…`) and its
 * public variants (`/media/public/<key>`), passed through to the media subgraph, which
 * serves them at the same paths (folder-route.ts). Bodies are streamed both ways, never
 * held: an upload reaches the media subgraph's disk as it arrives, a download the client
 * as it is read. The signed query is the only credential: the gateway adds no identity and
 * passes on none of the caller's (no cookie, no authorization).
 */
export function mediaFilesRoute(mediaUrl: string): Route {
  return {
    matches: (path) => mediaPrefixes.some((prefix) => path.startsWith(prefix)),
    handle: (routeRequest) => proxyMediaFile(routeRequest, mediaUrl),
  };
}

async function proxyMediaFile({ request, response, path, requestId }: RouteRequest, mediaUrl: string): Promise<void> {
  const prefix = mediaPrefixes.find((candidate) => path.startsWith(candidate))!;
  if (!keyShape.test(path.slice(prefix.length))) return sendJson(response, 404, { error: 'not found', requestId });
  const method = request.method;
  if (method !== 'GET' && method !== 'HEAD' && method !== 'PUT') {
    return sendJson(response, 405, { error: 'use GET, HEAD or PUT', requestId }, { allow: 'GET, HEAD, PUT' });
  }
  const url = new URL(request.url ?? '/', 'http://localhost');
  if (method === 'PUT') {
    // Refused here, before a byte is passed on: the media route refuses these too, but a
    // body larger than any upload it takes is cut mid-way there, which would reach the
    // client as a broken connection rather than an answer. `size` is the size the URL was
    // signed for (the media route checks the signature).
    const length = request.headers['content-length'];
    if (length === undefined) return refuseUpload(response, 411, 'Send the body with a Content-Length.', requestId);
    const signedSize = url.searchParams.get('size');
    if (signedSize !== null && Number(length) > Number(signedSize)) {
      return refuseUpload(response, 413, `The body must be ${signedSize} bytes, as signed.`, requestId);
    }
  }
  const headers: Record<string, string> = { 'x-request-id': requestId };
  for (const name of forwardedHeaders) {
    const value = request.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  // The body passes through a stream of its own: undici destroys the body it was given when
  // the upload fails, and destroying the client's request would take its socket, and the
  // answer below, with it. Piping keeps the back-pressure: nothing is buffered here.
  const body = method === 'PUT' ? request.pipe(new PassThrough()) : undefined;
  let upstream: Awaited<ReturnType<typeof undiciRequest>>;
  try {
    upstream = await undiciRequest(new URL(`${path}${url.search}`, mediaUrl), {
      method,
      headers,
      // undici reads the body as the media subgraph takes it.
      ...(body ? { body } : {}),
      headersTimeout: headersTimeoutMs[method],
      // Only a stalled transfer is cut.
      bodyTimeout: 60_000,
    });
  } catch (error) {
    // The media route refuses a bad upload before reading it and closes the connection
    // rather than drain a body it will not keep, so its answer can be lost to the broken
    // pipe. Which refusal it was is not known here, but it was the client's URL or body.
    if (body) request.unpipe(body);
    if (method === 'PUT' && !response.headersSent && isConnectionCut(error)) {
      return refuseUpload(response, 400, 'The upload was refused before its end: use the URL createMediaUpload answered, before it expires, with a body of the declared size and type.', requestId);
    }
    throw error;
  }
  const answered = pickHeaders(upstream.headers);
  // An upload refused before its end (too large, expired…): its rest is not read, and the
  // connection is closed rather than drained of however many bytes the client still sends.
  if (method === 'PUT' && !request.readableEnded) answered.connection = 'close';
  response.writeHead(upstream.statusCode, answered);
  // A client gone mid-download stops the read from the media subgraph (pipeline destroys it).
  await pipeline(upstream.body, response);
}

/** A connection the other side closed while this side was still sending. */
function isConnectionCut(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code ?? (error as { cause?: { code?: string } } | null)?.cause?.code;
  return code === 'EPIPE' || code === 'ECONNRESET' || code === 'UND_ERR_SOCKET';
}

/** Refuses an upload without reading its body, and closes the connection rather than drain it. */
function refuseUpload(response: ServerResponse, status: number, error: string, requestId: string): void {
  sendJson(response, status, { error, requestId }, { connection: 'close' });
}

function pickHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const picked: Record<string, string | string[]> = {};
  for (const name of answeredHeaders) {
    const value = headers[name];
    if (value !== undefined) picked[name] = value;
  }
  return picked;
}
