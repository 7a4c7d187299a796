import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PrismaClient } from '@token-nexus/prisma';
import { handleInternalRoute } from '@token-nexus/shared';
import { z } from 'zod';

/** Where the cms subgraph checks the media a page's props name. */
export const readyAssetsPath = '/internal/media/ready-assets';

/**
 * `POST /internal/media/ready-assets` `{ organizationId, ids }` → `{ ready: [ids] }`: which
 * of the ids are READY, undeleted assets of that organization. The cms subgraph asks it
 * before storing a page whose `media` props name them; only services of the graph may
 * (the body is signed with the secret they share).
 */
export function handleReadyAssetsRoute(request: IncomingMessage, response: ServerResponse, deps: { prisma: PrismaClient; signingSecret: string }): Promise<boolean> {
  return handleInternalRoute(request, response, {
    path: readyAssetsPath,
    signingSecret: deps.signingSecret,
    limitBytes: 64 * 1024,
    body: z.object({ organizationId: z.uuid(), ids: z.array(z.uuid()).max(500) }),
    expected: '{ organizationId, ids }',
    handle: async ({ organizationId, ids }) => {
      const rows = await deps.prisma.mediaAsset.findMany({
        where: { id: { in: ids }, organizationId, status: 'READY', deletedAt: null },
        select: { id: true },
      });
      return { ready: rows.map((row) => row.id) };
    },
  });
}
