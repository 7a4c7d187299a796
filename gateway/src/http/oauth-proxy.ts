import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from '@token-nexus/shared';
import type { Route } from './router.ts';

/**
 * The OAuth endpoints on the gateway's public origin: the token endpoint (RFC 6749) and the
 * revocation endpoint (RFC 7009). The integrations subgraph serves both at the same paths.
 */
export const oauthEndpointPaths: readonly string[] = ['/oauth/token', '/oauth/revoke'];

/** What of the client's request an OAuth endpoint needs; nothing else is passed on. */
const forwardedHeaders = ['content-type', 'authorization'] as const;

/** What of the endpoint's answer the client needs (the no-store rules, an auth challenge). */
const answeredHeaders = ['content-type', 'cache-control', 'pragma', 'www-authenticate'] as const;

/**
 * Passes a request for an OAuth endpoint to `target` on the integrations subgraph and its
 * answer back, with the request's id (for the audit entries it writes). The body is read
 * whole first (it is a small form, bounded by BODY_LIMIT_BYTES).
 */
export async function proxyOAuthEndpoint(
  request: IncomingMessage,
  response: ServerResponse,
  options: { target: URL; bodyLimitBytes: number; requestId: string },
): Promise<void> {
  const body = request.method === 'POST' ? await readBody(request, options.bodyLimitBytes) : undefined;
  const headers: Record<string, string> = { 'x-request-id': options.requestId };
  for (const name of forwardedHeaders) {
    const value = request.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  const answer = await fetch(options.target, {
    method: request.method ?? 'GET',
    headers,
    ...(body ? { body } : {}),
    signal: AbortSignal.timeout(10_000),
  });
  const payload = Buffer.from(await answer.arrayBuffer());
  response.writeHead(
    answer.status,
    Object.fromEntries(answeredHeaders.flatMap((name) => (answer.headers.has(name) ? [[name, answer.headers.get(name)!]] : []))),
  );
  response.end(payload);
}

/**
 * The OAuth endpoints belong to integrations (it owns apps and tokens); they speak OAuth's
 * form-encoded protocol, not GraphQL, so they are passed through as they are.
 */
export function oauthRoute(integrationsUrl: string, bodyLimitBytes: number): Route {
  return {
    matches: (path) => oauthEndpointPaths.includes(path),
    handle: ({ request, response, path, requestId }) =>
      proxyOAuthEndpoint(request, response, { target: new URL(path, integrationsUrl), bodyLimitBytes, requestId }),
  };
}
