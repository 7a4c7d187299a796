import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { publishPage as publish } from '../../providers/page-status.ts';

export const publishPage: NonNullable<MutationResolvers['publishPage']> = (_parent, args, ctx) =>
  publish(ctx, args.id);
