import { scalarResolvers } from '@token-nexus/shared';
import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { MediaAsset } from './MediaAsset.ts';
import { completeMediaUpload } from './Mutation/completeMediaUpload.ts';
import { createMediaUpload } from './Mutation/createMediaUpload.ts';
import { deleteMediaAsset } from './Mutation/deleteMediaAsset.ts';
import { updateMediaAsset } from './Mutation/updateMediaAsset.ts';
import { mediaAsset } from './Query/mediaAsset.ts';
import { mediaAssets } from './Query/mediaAssets.ts';
import { Subscription } from './Subscription.ts';

export const resolvers: Resolvers = {
  ...scalarResolvers,
  Query: { mediaAssets, mediaAsset },
  Mutation: { createMediaUpload, completeMediaUpload, updateMediaAsset, deleteMediaAsset },
  Subscription,
  MediaAsset,
};
