import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendJson } from '@token-nexus/shared';

/** The error codes of RFC 6749 §5.2 that these endpoints answer. */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'invalid_scope'
  | 'unauthorized_client'
  | 'unsupported_grant_type';

/** An error answer as RFC 6749 §5.2 shapes it (RFC 7009 §2.2.1 uses the same shape). */
export class OAuthError extends Error {
  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
  ) {
    super(description);
  }
}

/** Tokens, and answers about them, must never be cached by anything between (RFC 6749 §5.1). */
const noStore = { 'cache-control': 'no-store', pragma: 'no-cache' };

/** Whether `request` is for `path` (the query string aside). */
export function isPath(request: IncomingMessage, path: string): boolean {
  return new URL(request.url ?? '/', 'http://localhost').pathname === path;
}

/**
 * Serves one OAuth endpoint: POST with a form-encoded body (16 KiB at most), answered with
 * what `handle` returns as JSON (null: 200 with an empty body), never cached. An OAuthError
 * thrown anywhere becomes `{ error, error_description }`: 401 with a `WWW-Authenticate`
 * challenge for invalid_client (RFC 6749 §5.2), 400 for the others.
 */
export async function serveOAuthEndpoint(
  request: IncomingMessage,
  response: ServerResponse,
  handle: (form: URLSearchParams) => Promise<Record<string, unknown> | null>,
): Promise<void> {
  try {
    if (request.method !== 'POST') throw new OAuthError('invalid_request', 'Use POST.');
    const answer = await handle(parseForm(request, await readBody(request, 16 * 1024)));
    if (answer) return sendJson(response, 200, answer, noStore);
    response.writeHead(200, { ...noStore, 'content-length': 0 });
    response.end();
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error;
    const status = error.error === 'invalid_client' ? 401 : 400;
    sendJson(response, status, { error: error.error, error_description: error.description }, {
      ...noStore,
      ...(status === 401 ? { 'www-authenticate': 'Basic realm="token-nexus"' } : {}),
    });
  }
}

function parseForm(request: IncomingMessage, body: Buffer): URLSearchParams {
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    throw new OAuthError('invalid_request', 'Send the request as application/x-www-form-urlencoded.');
  }
  return new URLSearchParams(body.toString('utf8'));
}
