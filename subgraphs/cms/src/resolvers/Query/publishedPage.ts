import type { QueryResolvers } from '../../__generated__/resolvers-types.ts';
import { findPublishedPage } from '../../providers/published-pages.ts';

/** Public: no sign-in needed (see providers/published-pages.ts for what it may reveal). */
export const publishedPage: NonNullable<QueryResolvers['publishedPage']> = (_parent, args, ctx) =>
  findPublishedPage(ctx, args);
