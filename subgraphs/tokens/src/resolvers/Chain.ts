import type { ChainResolvers } from '../__generated__/resolvers-types.ts';
import { policy } from '../policy.ts';

export const Chain: ChainResolvers = {
  /** An RPC URL may carry a provider's key: SYSTEM_ADMINs only. */
  rpcUrl: async (chain, _args, ctx) => ((await policy.isSystemAdmin(ctx)) ? chain.rpcUrl : null),
};
