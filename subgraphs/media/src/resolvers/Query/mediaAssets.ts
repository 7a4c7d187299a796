import type { QueryResolvers } from '../../__generated__/resolvers-types.ts';
import { listAssets } from '../../providers/assets.ts';

export const mediaAssets: NonNullable<QueryResolvers['mediaAssets']> = (_parent, args, ctx) => listAssets(ctx, args);
