import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { createComponent as create } from '../../providers/components.ts';

export const createComponent: NonNullable<MutationResolvers['createComponent']> = (_parent, args, ctx) =>
  create(ctx, args.input);
