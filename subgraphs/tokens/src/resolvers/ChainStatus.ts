import type { ChainStatusResolvers } from '../__generated__/resolvers-types.ts';
import type { ChainEndpointStatusModel } from '../models.ts';

export const ChainStatus: ChainStatusResolvers = {
  reorgsLast24h: (status, _args, ctx) => ctx.loaders.reorgsLastDayByChain.load(status.chainId),
  endpoints: (status) => status.endpoints as unknown as ChainEndpointStatusModel[],
};
