import { maybeCacheControlFromInfo } from '@apollo/cache-control-types';
import type { QueryResolvers } from '../../__generated__/resolvers-types.ts';
import { findPublishedPage } from '../../providers/published-pages.ts';

/**
 * Public: no sign-in needed (see providers/published-pages.ts for what it may reveal). An
 * answer showing one visitor's experiment variant is theirs alone: it is kept out of every
 * shared cache, where an entry per visitor would push out the answers many share and be
 * asked for again by hardly anyone.
 */
export const publishedPage: NonNullable<QueryResolvers['publishedPage']> = async (_parent, args, ctx, info) => {
  const published = await findPublishedPage(ctx, args);
  if (published?.variant != null) maybeCacheControlFromInfo(info)?.setCacheHint({ maxAge: 0 });
  return published;
};
