import type { QueryResolvers } from '../../__generated__/resolvers-types.ts';
import { listComponents } from '../../providers/components.ts';

export const components: NonNullable<QueryResolvers['components']> = (_parent, args, ctx) =>
  listComponents(ctx, args);
