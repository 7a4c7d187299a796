import { BadUserInputError, isMediaPublicGrant } from '@token-nexus/shared';
import type { MediaAssetResolvers } from '../__generated__/resolvers-types.ts';
import { policy } from '../policy.ts';
import { assetKey, objectUrl, variantUrlSeconds } from '../providers/asset-urls.ts';

const defaultUrlSeconds = 3600;

export const MediaAsset: MediaAssetResolvers = {
  /**
   * Members see their organization's assets. Anyone sees a READY asset the cms subgraph
   * vouches for (a published page uses it: `publicGrant`), with public URLs. Anything
   * else is null, as if it did not exist.
   */
  __resolveReference: async (reference, ctx) => {
    const asset = await ctx.prisma.mediaAsset.findFirst({ where: { id: reference.id, deletedAt: null } });
    if (!asset) return null;
    const grant = (reference as { publicGrant?: string | null }).publicGrant;
    if (grant && asset.status === 'READY' && isMediaPublicGrant(ctx.signingSecret, asset.id, grant)) return { ...asset, publicAccess: true };
    return (await policy.canRead(ctx, asset.organizationId)) ? asset : null;
  },
  publicGrant: () => null,
  organization: (asset) => ({ id: asset.organizationId }),
  createdBy: (asset) => ({ id: asset.createdById }),
  variants: async (asset, _args, ctx) => {
    if (asset.status !== 'READY') return [];
    const variants = await ctx.loaders.variantsByAssetId.load(asset.id);
    return Promise.all(
      variants.map(async (variant) => ({
        ...variant,
        url: await objectUrl(ctx.storage, variant.storageKey, { publicAccess: asset.publicAccess === true, expiresInSeconds: variantUrlSeconds, contentType: variant.contentType }),
      })),
    );
  },
  url: async (asset, args, ctx) => {
    const seconds = args.expiresInSeconds ?? defaultUrlSeconds;
    if (!Number.isInteger(seconds) || seconds < 60 || seconds > 86_400) {
      throw new BadUserInputError('expiresInSeconds: must be a whole number from 60 to 86,400.', { field: 'expiresInSeconds' });
    }
    if (asset.status !== 'READY') return null;
    const variants = await ctx.loaders.variantsByAssetId.load(asset.id);
    return objectUrl(ctx.storage, assetKey(asset, variants), {
      publicAccess: asset.publicAccess === true,
      expiresInSeconds: seconds,
      filename: asset.filename,
      contentType: asset.contentType,
    });
  },
};
