import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { createUpload } from '../../providers/assets.ts';

export const createMediaUpload: NonNullable<MutationResolvers['createMediaUpload']> = (_parent, args, ctx) => createUpload(ctx, args);
