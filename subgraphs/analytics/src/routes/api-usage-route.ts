import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PrismaClient } from '@token-nexus/prisma';
import { readBody, sendJson, verifySignedRequest } from '@token-nexus/shared';
import { z } from 'zod';

/** Where gateways report the operations they answered, per organization and credential. */
export const apiUsageRoutePath = '/internal/api-usage';

const maxBodyBytes = 1024 * 1024;

const report = z.object({
  counts: z
    .array(
      z.object({
        organizationId: z.uuid(),
        credential: z.enum(['user', 'api_key', 'oauth_app']),
        count: z.number().int().min(1).max(10_000_000),
        /** The start of the minute the operations were answered in. */
        minute: z.iso.datetime(),
      }),
    )
    .max(20_000),
});

/**
 * `POST /internal/api-usage` `{ counts: [{ organizationId, credential, count, minute }] }`:
 * queues the counts as `api.requests` events for the ingester. Only a gateway may report
 * (its signature over the body, like every request it sends a subgraph).
 */
export async function handleApiUsageRoute(
  request: IncomingMessage,
  response: ServerResponse,
  deps: { prisma: PrismaClient; signingSecret: string },
): Promise<boolean> {
  if (new URL(request.url ?? '/', 'http://localhost').pathname !== apiUsageRoutePath) return false;
  if (request.method !== 'POST') {
    sendJson(response, 405, { error: 'use POST' });
    return true;
  }
  const body = await readBody(request, maxBodyBytes);
  if (!verifySignedRequest(deps.signingSecret, request, body).ok) {
    sendJson(response, 401, { error: 'only a gateway may report' });
    return true;
  }
  const parsed = report.safeParse(parseJson(body.toString('utf8')));
  if (!parsed.success) {
    sendJson(response, 400, { error: 'expected { counts: [{ organizationId, credential, count, minute }] }' });
    return true;
  }
  await deps.prisma.pendingEvent.createMany({
    data: parsed.data.counts.map((entry) => ({
      organizationId: entry.organizationId,
      metric: 'api.requests',
      dimension: entry.credential,
      value: entry.count,
      occurredAt: new Date(entry.minute),
    })),
  });
  sendJson(response, 200, { ok: true });
  return true;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
