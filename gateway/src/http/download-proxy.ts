import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { sendJson, type SubgraphName } from '@token-nexus/shared';
import { request as undiciRequest, type Agent } from 'undici';
import type { Route } from './router.ts';

/** Public path prefixes that are a subgraph's own download routes, and where they go. */
export const downloadRoutes = [
  { publicPrefix: '/downloads/audit-exports/', subgraph: 'audit', targetPrefix: '/exports/' },
  { publicPrefix: '/downloads/cms-exports/', subgraph: 'cms', targetPrefix: '/exports/form-submissions/' },
] as const;

const forwardedHeaders = ['content-type', 'content-disposition', 'cache-control', 'content-length'];

/**
 * Streams a download from the subgraph that serves it, as it arrives (constant memory,
 * back-pressure from the client reaches the subgraph). The gateway stays the only door:
 * subgraphs are never exposed, and their download links carry their own signature, so
 * the gateway adds no identity here.
 */
export async function proxyDownload(
  request: IncomingMessage,
  response: ServerResponse,
  targetUrl: URL,
  agent: Agent,
): Promise<void> {
  const upstream = await undiciRequest(targetUrl, {
    method: 'GET',
    dispatcher: agent,
    headersTimeout: 10_000,
    // Downloads may be long; only a stalled one is cut.
    bodyTimeout: 60_000,
  });
  response.statusCode = upstream.statusCode;
  for (const name of forwardedHeaders) {
    const value = upstream.headers[name];
    if (value !== undefined) response.setHeader(name, value);
  }
  request.on('close', () => {
    if (!response.writableFinished) upstream.body.destroy();
  });
  await pipeline(upstream.body, response);
}

/**
 * The download routes: `GET <publicPrefix><id>` streamed from the subgraph's own route.
 * Only an id may follow the prefix: nothing that could lead elsewhere on the subgraph.
 */
export function downloadRoute(subgraphUrls: Record<SubgraphName, string>, agent: Agent): Route {
  const downloadOf = (path: string) => downloadRoutes.find((candidate) => path.startsWith(candidate.publicPrefix));
  return {
    matches: (path) => downloadOf(path) !== undefined,
    handle: async ({ request, response, path, requestId }) => {
      const download = downloadOf(path)!;
      const id = path.slice(download.publicPrefix.length);
      if (!/^[A-Za-z0-9-]{1,64}$/.test(id)) return sendJson(response, 404, { error: 'not found', requestId });
      if (request.method !== 'GET') return sendJson(response, 405, { error: 'use GET', requestId });
      const search = new URL(request.url ?? '/', 'http://localhost').search;
      await proxyDownload(request, response, new URL(`${download.targetPrefix}${id}${search}`, subgraphUrls[download.subgraph]), agent);
    },
  };
}
