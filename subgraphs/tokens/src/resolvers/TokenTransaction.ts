import type { TokenTransactionResolvers } from '../__generated__/resolvers-types.ts';

export const TokenTransaction: TokenTransactionResolvers = {
  token: async (transaction, _args, ctx) => (await ctx.loaders.tokenById.load(transaction.tokenId))!,
  from: (transaction) => transaction.fromAddress,
  to: (transaction) => transaction.toAddress,
  requestedBy: (transaction) => (transaction.requestedById ? { id: transaction.requestedById } : null),
};
