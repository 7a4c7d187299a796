import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { request as undiciRequest, type Agent } from 'undici';

/** Public path prefixes that are a subgraph's own download routes, and where they go. */
export const downloadRoutes = [
  { publicPrefix: '/downloads/audit-exports/', subgraph: 'audit', targetPrefix: '/exports/' },
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
