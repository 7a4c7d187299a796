import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PrismaClient } from '@token-nexus/prisma';
import { readBody, sendJson, verifySignedRequest } from '@token-nexus/shared';
import { z } from 'zod';
import { verifyCredential } from './verify-credential.ts';

/** Where the gateway asks who a program's bearer secret stands for. */
export const credentialRoutePath = '/internal/credentials/verify';

const requestBody = z.object({ secret: z.string().min(1).max(512) });

/**
 * `POST /internal/credentials/verify` `{ secret }` → `{ ok: true, actor }` or
 * `{ ok: false, message }`. Only the gateway may ask: the request must carry the gateway's
 * signature over its body (as every GraphQL request to a subgraph does), so nobody else
 * can use this route to test secrets.
 */
export async function handleCredentialRoute(
  request: IncomingMessage,
  response: ServerResponse,
  deps: { prisma: PrismaClient; signingSecret: string },
): Promise<boolean> {
  if (new URL(request.url ?? '/', 'http://localhost').pathname !== credentialRoutePath) return false;
  if (request.method !== 'POST') {
    sendJson(response, 405, { error: 'use POST' });
    return true;
  }
  const body = await readBody(request, 4096);
  if (!verifySignedRequest(deps.signingSecret, request, body).ok) {
    sendJson(response, 401, { error: 'only the gateway may ask' });
    return true;
  }
  const parsed = requestBody.safeParse(parseJson(body.toString('utf8')));
  if (!parsed.success) {
    sendJson(response, 400, { error: 'expected { secret }' });
    return true;
  }
  sendJson(response, 200, await verifyCredential(deps.prisma, parsed.data.secret));
  return true;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
