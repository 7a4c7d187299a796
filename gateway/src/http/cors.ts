import type { IncomingMessage, ServerResponse } from 'node:http';

const allowedHeaders = [
  'authorization',
  'content-type',
  'x-request-id',
  'apollo-require-preflight',
  'apollographql-client-name',
  'apollographql-client-version',
].join(', ');

/**
 * Sets CORS headers for an allowed origin. `allowedOrigins` holds exact origins, or `*`
 * for any (development). Answers preflight requests itself.
 *
 * @returns true when the request was a preflight and has been answered.
 */
export function applyCors(
  request: IncomingMessage,
  response: ServerResponse,
  allowedOrigins: string[],
): boolean {
  const origin = request.headers.origin;
  const allowed =
    origin !== undefined && (allowedOrigins.includes('*') || allowedOrigins.includes(origin));
  response.setHeader('vary', 'origin');
  if (allowed) {
    response.setHeader('access-control-allow-origin', origin);
    response.setHeader('access-control-expose-headers', 'x-request-id');
  }
  if (request.method !== 'OPTIONS') return false;
  if (allowed) {
    response.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
    response.setHeader('access-control-allow-headers', allowedHeaders);
    response.setHeader('access-control-max-age', '600');
  }
  response.writeHead(204).end();
  return true;
}
