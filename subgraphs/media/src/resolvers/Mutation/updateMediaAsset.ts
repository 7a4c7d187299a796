import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { updateAsset } from '../../providers/assets.ts';

export const updateMediaAsset: NonNullable<MutationResolvers['updateMediaAsset']> = (_parent, args, ctx) => updateAsset(ctx, args);
