import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from '@token-nexus/shared';
import type { Route } from './router.ts';

/** Where an INBOUND workflow receives signed messages: `/hooks/workflows/<workflow id>`. */
const hookPath = /^\/hooks\/workflows\/[0-9a-fA-F-]{36}$/;

/** What of the sender's request the workflows service needs: the body's type and the Standard Webhooks headers. */
const forwardedHeaders = ['content-type', 'webhook-id', 'webhook-timestamp', 'webhook-signature'] as const;

/** Inbound messages are events, not uploads: a body larger than this is refused before it is read whole. */
export const hookBodyLimitBytes = 256 * 1024;

async function proxyHook(request: IncomingMessage, response: ServerResponse, target: URL, requestId: string): Promise<void> {
  if (request.method !== 'POST') {
    response.writeHead(405, { allow: 'POST', 'content-type': 'application/json' }).end(JSON.stringify({ error: 'use POST' }));
    return;
  }
  const body = await readBody(request, hookBodyLimitBytes);
  const headers: Record<string, string> = { 'x-request-id': requestId };
  for (const name of forwardedHeaders) {
    const value = request.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  const answer = await fetch(target, { method: 'POST', headers, body, signal: AbortSignal.timeout(10_000) });
  response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
  response.end(Buffer.from(await answer.arrayBuffer()));
}

/**
 * The inbound URLs of workflows, on the graph's public origin. They belong to the
 * workflows service (it checks each message's signature against the workflow's secret and
 * starts the run), and they speak Standard Webhooks, not GraphQL, so they are passed
 * through as they are, with nothing of the caller's but the body and the signature headers.
 */
export function workflowHooksRoute(workflowsUrl: string): Route {
  return {
    matches: (path) => hookPath.test(path),
    handle: ({ request, response, path, requestId }) => proxyHook(request, response, new URL(path, workflowsUrl), requestId),
  };
}
