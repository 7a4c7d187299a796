import type { TokenFactoryResolvers } from '../__generated__/resolvers-types.ts';

export const TokenFactory: TokenFactoryResolvers = {
  // Until DEPLOYED, the address names where the factory is being deployed, not a factory.
  address: (factory) => (factory.status === 'DEPLOYED' ? factory.address : null),
  tokensCreated: (factory, _args, ctx) => ctx.loaders.creationsByChain.load(factory.chainId),
};
