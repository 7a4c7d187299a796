import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PrismaClient } from '@token-nexus/prisma';
import { handleInternalRoute } from '@token-nexus/shared';
import { z } from 'zod';
import type { MediaStorage } from '../storage/media-storage.ts';
import { assetKey, objectUrl } from './asset-urls.ts';

/** Where the cms subgraph asks for the public URLs of the images a published page's SEO names. */
export const publicUrlsPath = '/internal/media/public-urls';

/**
 * `POST /internal/media/public-urls` `{ organizationId, ids }` → `{ urls: { [id]: url } }`:
 * the public URL (as `MediaAsset.url` gives it through a published page) of each id that is
 * a READY, undeleted asset of that organization; the others are left out. The cms asks it
 * for a published page's sharing images (`og:image`), which must be plain URLs in the page's
 * head; only services of the graph may ask (the body is signed with the secret they share),
 * and the cms asks only for what a live page shows, as it does when granting `publicGrant`.
 */
export function handlePublicUrlsRoute(
  request: IncomingMessage,
  response: ServerResponse,
  deps: { prisma: PrismaClient; signingSecret: string; storage: MediaStorage },
): Promise<boolean> {
  return handleInternalRoute(request, response, {
    path: publicUrlsPath,
    signingSecret: deps.signingSecret,
    limitBytes: 16 * 1024,
    body: z.object({ organizationId: z.uuid(), ids: z.array(z.uuid()).max(100) }),
    expected: '{ organizationId, ids }',
    handle: async ({ organizationId, ids }) => {
      const assets = await deps.prisma.mediaAsset.findMany({
        where: { id: { in: ids }, organizationId, status: 'READY', deletedAt: null },
        include: { variants: true },
      });
      const urls: Record<string, string> = {};
      for (const asset of assets) {
        urls[asset.id] = await objectUrl(deps.storage, assetKey(asset, asset.variants), { publicAccess: true, expiresInSeconds: 3600, contentType: asset.contentType });
      }
      return { urls };
    },
  });
}
