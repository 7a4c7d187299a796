import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { createTemplate as create } from '../../providers/templates.ts';

export const createTemplate: NonNullable<MutationResolvers['createTemplate']> = (_parent, args, ctx) =>
  create(ctx, args.input);
