import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { readBody } from './read-body.ts';
import { sendJson } from './send-json.ts';
import { verifySignedRequest } from './subgraph-server.ts';

/**
 * A subgraph's internal HTTP route, for the gateway only: `POST <path>` with a JSON body
 * that must carry the gateway's signature over it (as every GraphQL request to a subgraph
 * does) and match `body`. Answers 405, 401 or 400 itself; otherwise sends `handle`'s
 * result as JSON.
 *
 * @returns false when the request is for another path (another route may take it).
 */
export async function handleInternalRoute<T>(
  request: IncomingMessage,
  response: ServerResponse,
  route: {
    path: string;
    signingSecret: string;
    limitBytes: number;
    body: z.ZodType<T>;
    /** The body's shape, for the 400 answer, e.g. `{ secret }`. */
    expected: string;
    handle: (body: T) => Promise<unknown>;
  },
): Promise<boolean> {
  if (new URL(request.url ?? '/', 'http://localhost').pathname !== route.path) return false;
  if (request.method !== 'POST') {
    sendJson(response, 405, { error: 'use POST' });
    return true;
  }
  const body = await readBody(request, route.limitBytes);
  if (!verifySignedRequest(route.signingSecret, request, body).ok) {
    sendJson(response, 401, { error: 'only the gateway may call this route' });
    return true;
  }
  const parsed = route.body.safeParse(parseJson(body.toString('utf8')));
  if (!parsed.success) {
    sendJson(response, 400, { error: `expected ${route.expected}` });
    return true;
  }
  sendJson(response, 200, await route.handle(parsed.data));
  return true;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
