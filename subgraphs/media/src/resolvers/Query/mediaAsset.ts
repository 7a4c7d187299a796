import type { QueryResolvers } from '../../__generated__/resolvers-types.ts';
import { findAsset } from '../../providers/assets.ts';

export const mediaAsset: NonNullable<QueryResolvers['mediaAsset']> = (_parent, args, ctx) => findAsset(ctx, args.id);
