import type { ChainResolvers } from '../__generated__/resolvers-types.ts';
import { policy } from '../policy.ts';

export const Chain: ChainResolvers = {
  /** Masked; SYSTEM_ADMINs only, as before (members see the same masked hosts in `status.endpoints`). */
  rpcUrl: async (chain, _args, ctx) => ((await policy.isSystemAdmin(ctx)) ? (chain.maskedRpcUrls[0] ?? null) : null),
  rpcUrls: async (chain, _args, ctx) => ((await policy.isSystemAdmin(ctx)) ? chain.maskedRpcUrls : null),
  factory: (chain, _args, ctx) => ctx.loaders.factoryByChain.load(chain.chainId),
  status: (chain, _args, ctx) => ctx.loaders.statusByChain.load(chain.chainId),
};
