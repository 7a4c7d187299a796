import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PrismaClient } from '@token-nexus/prisma';
import { handleInternalRoute } from '@token-nexus/shared';
import { z } from 'zod';
import { dimensionKey } from '../ingest/metric-event.ts';

/** Where gateways report the operations they answered, per organization and credential. */
export const apiUsageRoutePath = '/internal/api-usage';

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
export function handleApiUsageRoute(
  request: IncomingMessage,
  response: ServerResponse,
  deps: { prisma: PrismaClient; signingSecret: string },
): Promise<boolean> {
  return handleInternalRoute(request, response, {
    path: apiUsageRoutePath,
    signingSecret: deps.signingSecret,
    limitBytes: 1024 * 1024,
    body: report,
    expected: '{ counts: [{ organizationId, credential, count, minute }] }',
    handle: async ({ counts }) => {
      await deps.prisma.pendingEvent.createMany({
        data: counts.map((entry) => ({
          organizationId: entry.organizationId,
          metric: 'api.requests',
          dimension: dimensionKey('credential', entry.credential),
          value: entry.count,
          occurredAt: new Date(entry.minute),
        })),
      });
      return { ok: true };
    },
  });
}
