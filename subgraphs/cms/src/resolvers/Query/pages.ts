import type { QueryResolvers } from '../../__generated__/resolvers-types.ts';
import { listPages } from '../../providers/pages.ts';

export const pages: NonNullable<QueryResolvers['pages']> = (_parent, args, ctx) => listPages(ctx, args);
