import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from '@token-nexus/shared';
import type { Route } from './router.ts';

/** The OAuth 2.0 token endpoint, on the gateway's public origin. */
export const oauthTokenPath = '/oauth/token';

/** What of the client's request the token endpoint needs; nothing else is passed on. */
const forwardedHeaders = ['content-type', 'authorization'] as const;

/**
 * Passes a token request to the integrations subgraph and its answer back, with the
 * request's id (for the audit entry of a token issued). The body is read whole first (it
 * is a small form, bounded by BODY_LIMIT_BYTES).
 */
export async function proxyOAuthToken(
  request: IncomingMessage,
  response: ServerResponse,
  options: { target: URL; bodyLimitBytes: number; requestId: string },
): Promise<void> {
  const { target } = options;
  const body = request.method === 'POST' ? await readBody(request, options.bodyLimitBytes) : undefined;
  const headers: Record<string, string> = { 'x-request-id': options.requestId };
  for (const name of forwardedHeaders) {
    const value = request.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  const answer = await fetch(target, {
    method: request.method ?? 'GET',
    headers,
    ...(body ? { body } : {}),
    signal: AbortSignal.timeout(10_000),
  });
  const payload = Buffer.from(await answer.arrayBuffer());
  const passOn = ['content-type', 'cache-control', 'pragma', 'www-authenticate'];
  response.writeHead(
    answer.status,
    Object.fromEntries(passOn.flatMap((name) => (answer.headers.has(name) ? [[name, answer.headers.get(name)!]] : []))),
  );
  response.end(payload);
}

/**
 * The OAuth token endpoint belongs to integrations (it owns apps and tokens); it speaks
 * OAuth's form-encoded protocol, not GraphQL, so it is passed through as is.
 */
export function oauthTokenRoute(integrationsUrl: string, bodyLimitBytes: number): Route {
  return {
    matches: (path) => path === oauthTokenPath,
    handle: ({ request, response, requestId }) =>
      proxyOAuthToken(request, response, { target: new URL(oauthTokenPath, integrationsUrl), bodyLimitBytes, requestId }),
  };
}
