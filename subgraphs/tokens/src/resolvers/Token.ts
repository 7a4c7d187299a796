import type { TokenResolvers } from '../__generated__/resolvers-types.ts';
import { listBalances, listTransactions } from '../providers/token-history.ts';

export const Token: TokenResolvers = {
  /** Identity owns organizations and users: the gateway asks it for the rest. */
  organization: (token) => ({ id: token.organizationId }),
  createdBy: (token) => ({ id: token.createdById }),
  chain: async (token, _args, ctx) => (await ctx.loaders.chainById.load(token.chainId))!,
  balances: (token, args, ctx) => listBalances(ctx, token.id, args),
  transactions: (token, args, ctx) => listTransactions(ctx, token.id, args),
};
