import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { deleteAsset } from '../../providers/assets.ts';

export const deleteMediaAsset: NonNullable<MutationResolvers['deleteMediaAsset']> = (_parent, args, ctx) => deleteAsset(ctx, args);
