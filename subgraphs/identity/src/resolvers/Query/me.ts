import type { QueryResolvers } from '../../__generated__/resolvers-types.ts';

export const me: NonNullable<QueryResolvers['me']> = async (_parent, _args, ctx) =>
  ctx.viewerId ? ctx.loaders.userById.load(ctx.viewerId) : null;
