import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { basename, dirname, extname, resolve } from 'node:path';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** A name the build writes: letters, digits, `.`, `_` and `-`, not starting with a dot. */
const plainName = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

/** esbuild's content hash in a name (`app-4QZ2KX7M.js`): such a file never changes. */
const hashedName = /-[A-Z0-9]{8}\.[a-z0-9]+$/;

/** The media type of a file, by its extension. */
export function contentTypeOf(file: string): string {
  return contentTypes[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** Hashed names are cached for a year without revalidation; anything else is revalidated. */
export function cacheControlOf(file: string): string {
  return hashedName.test(basename(file)) ? 'public, max-age=31536000, immutable' : 'no-cache';
}

/**
 * The file named by one URL path segment, inside `directory` (which is flat), or null:
 * a name that decodes to a path (`..%2F`), a hidden file or anything odd is refused
 * before the file system is asked.
 */
export function fileIn(directory: string, encodedName: string): string | null {
  let name: string;
  try {
    name = decodeURIComponent(encodedName);
  } catch {
    return null;
  }
  if (!plainName.test(name)) return null;
  const file = resolve(directory, name);
  return dirname(file) === resolve(directory) ? file : null;
}

/**
 * Sends a file with its content type and caching (GET, or HEAD without the body).
 * The file (a few MB at most) is read whole and sent in one `end`: streamed, the client
 * could have every byte before the response ends, and a server closing in between would
 * keep that connection open until its keep-alive timeout.
 * @returns false, having sent nothing, when there is no such file.
 */
export async function sendFile(
  response: ServerResponse,
  file: string,
  method: string | undefined,
  headers: Record<string, string> = {},
): Promise<boolean> {
  const body = await readFile(file).catch(() => null);
  if (!body) return false;
  response.writeHead(200, {
    'content-type': contentTypeOf(file),
    'content-length': body.length,
    'cache-control': cacheControlOf(file),
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  response.end(method === 'HEAD' ? undefined : body);
  return true;
}
