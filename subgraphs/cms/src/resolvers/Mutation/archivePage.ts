import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { archivePage as archive } from '../../providers/page-status.ts';

export const archivePage: NonNullable<MutationResolvers['archivePage']> = (_parent, args, ctx) =>
  archive(ctx, args.id);
