import { ForbiddenError, accessRevoked, createLiveAccess, guardedStream, parseInput } from '@token-nexus/shared';
import type { MediaAsset } from '@token-nexus/prisma';
import { z } from 'zod';
import type { SubscriptionResolvers } from '../__generated__/resolvers-types.ts';
import type { MediaContext } from '../context.ts';
import { policy } from '../policy.ts';
import { assetUpdatesTopic, type AssetUpdate } from '../providers/asset-updates.ts';

const uuid = z.uuid('must be an id returned by this API');

export const Subscription: SubscriptionResolvers = {
  mediaAssetUpdated: {
    subscribe: async (_parent, args, ctx) => {
      const organizationId = parseInput(uuid, args.orgId, 'orgId');
      await policy.assertCanRead(ctx, organizationId);
      const access = createLiveAccess(ctx.organizationAccess, ctx.events, ctx.claims);
      return guardedStream(
        ctx.events.subscribe<AssetUpdate>(assetUpdatesTopic(organizationId)),
        async () => {
          const current = await access.get();
          return current.isSystemAdmin || current.roles.has(organizationId);
        },
        access.close,
      );
    },
    // Each notice names the asset; it is read as it is now (deleted ones too: the last notice of one says so by deletedAt).
    resolve: async (payload: AssetUpdate | typeof accessRevoked, _args: unknown, ctx: MediaContext): Promise<MediaAsset> => {
      if (payload === accessRevoked) throw new ForbiddenError("You can no longer see this organization's media.");
      ctx.loaders.variantsByAssetId.clear(payload.assetId);
      return ctx.prisma.mediaAsset.findUniqueOrThrow({ where: { id: payload.assetId } });
    },
  },
};
