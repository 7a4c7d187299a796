import { loadTypeDefs, type SubgraphDefinition } from '@token-nexus/shared';
import { resolvers } from './resolvers/index.ts';

/** The tokens subgraph: tokens, their deployment and operation on EVM chains, and chains. */
export const tokensSubgraph: SubgraphDefinition = {
  name: 'tokens',
  typeDefs: loadTypeDefs(new URL('../schema.graphql', import.meta.url)),
  resolvers,
};

export { loadTokensConfig, type TokensConfig } from './config.ts';
export { startTokens } from './start-tokens.ts';
export { deployerKeyBinding } from './keys/deployer-key-binding.ts';
