import type { TokenResolvers } from '../__generated__/resolvers-types.ts';
import { predictedAddressOf } from '../providers/token-factories.ts';
import { listBalances, listTransactions } from '../providers/token-history.ts';

export const Token: TokenResolvers = {
  /** Identity owns organizations and users: the gateway asks it for the rest. */
  organization: (token) => ({ id: token.organizationId }),
  createdBy: (token) => ({ id: token.createdById }),
  chain: async (token, _args, ctx) => (await ctx.loaders.chainById.load(token.chainId))!,
  balances: (token, args, ctx) => listBalances(ctx, token.id, args),
  transactions: (token, args, ctx) => listTransactions(ctx, token.id, args),
  predictedAddress: async (token, _args, ctx) => predictedAddressOf(token, await ctx.loaders.factoryByChain.load(token.chainId)),
  readOnly: (token) => token.deploymentMethod === 'IMPORTED',
  waitingForChain: async (token, _args, ctx) => {
    const status = await ctx.loaders.statusByChain.load(token.chainId);
    return status?.healthy === false && (await ctx.loaders.hasPendingWork.load(token.id));
  },
};
