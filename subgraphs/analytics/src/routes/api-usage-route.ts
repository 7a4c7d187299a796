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
      // Tagged as background work: it arrives on the gateway's schedule, not a client's request.
      await deps.prisma.$executeRaw`/* analytics:background */
        INSERT INTO analytics.pending_events (id, organization_id, metric, dimension, value, occurred_at)
        SELECT gen_random_uuid(), c.org, 'api.requests', c.dimension, c.count, c.minute
        FROM unnest(${counts.map((entry) => entry.organizationId)}::uuid[],
          ${counts.map((entry) => dimensionKey('credential', entry.credential))}::text[],
          ${counts.map((entry) => entry.count)}::int[], ${counts.map((entry) => new Date(entry.minute))}::timestamptz[])
          AS c(org, dimension, count, minute)`;
      return { ok: true };
    },
  });
}
