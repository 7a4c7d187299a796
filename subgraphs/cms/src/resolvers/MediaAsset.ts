import type { MediaAssetResolvers } from '../__generated__/resolvers-types.ts';

export const MediaAsset: MediaAssetResolvers = {
  /**
   * Media owns assets and decides who sees one (the planner comes here only from an asset
   * media answered); here an asset is its id, which `usages` searches pages for.
   */
  __resolveReference: (reference) => reference,
  /** Only pages of the caller's organizations (none for anonymous callers): see loaders.ts. */
  usages: (asset, _args, ctx) => ctx.loaders.pagesByMediaAssetId.load(asset.id),
};
