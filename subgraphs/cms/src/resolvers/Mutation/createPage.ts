import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { createPage as create } from '../../providers/create-page.ts';

export const createPage: NonNullable<MutationResolvers['createPage']> = (_parent, args, ctx) =>
  create(ctx, args.input);
