import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PrismaClient } from '@token-nexus/prisma';
import { handleInternalRoute } from '@token-nexus/shared';
import { z } from 'zod';
import { publishedPagesUsingMedia } from './media-usage.ts';

/** Where the media subgraph asks which published pages use assets (its providers/page-usage.ts). */
export const mediaUsagePath = '/internal/media-usage';

/**
 * `POST /internal/media-usage` `{ organizationId, assetIds }` → `{ pages: [{ id, slug, assetId }] }`:
 * the PUBLISHED pages of the organization whose live revision, or a variant of the A/B
 * experiment it runs, shows any of the assets. The
 * media subgraph asks before deleting one; only services of the graph may (the body is
 * signed with the secret they share).
 */
export function handleMediaUsageRoute(request: IncomingMessage, response: ServerResponse, deps: { prisma: PrismaClient; signingSecret: string }): Promise<boolean> {
  return handleInternalRoute(request, response, {
    path: mediaUsagePath,
    signingSecret: deps.signingSecret,
    limitBytes: 64 * 1024,
    body: z.object({ organizationId: z.uuid(), assetIds: z.array(z.uuid()).max(500) }),
    expected: '{ organizationId, assetIds }',
    handle: async ({ organizationId, assetIds }) => ({ pages: await publishedPagesUsingMedia(deps.prisma, organizationId, assetIds) }),
  });
}
