import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { completeUpload } from '../../providers/assets.ts';

export const completeMediaUpload: NonNullable<MutationResolvers['completeMediaUpload']> = (_parent, args, ctx) => completeUpload(ctx, args);
