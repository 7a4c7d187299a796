import type { TokenEventResolvers } from '../__generated__/resolvers-types.ts';

export const TokenEvent: TokenEventResolvers = {
  token: async (event, _args, ctx) => (await ctx.loaders.tokenById.load(event.tokenId))!,
  transaction: (event, _args, ctx) => (event.transactionId ? ctx.loaders.transactionById.load(event.transactionId) : null),
};
