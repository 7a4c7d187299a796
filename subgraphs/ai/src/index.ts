import { loadTypeDefs, type SubgraphDefinition } from '@token-nexus/shared';
import { resolvers } from './resolvers/index.ts';

/** The ai subgraph: the platform's assistant. */
export const aiSubgraph: SubgraphDefinition = {
  name: 'ai',
  typeDefs: loadTypeDefs(new URL('../schema.graphql', import.meta.url)),
  resolvers,
};

export { loadAiConfig, type AiConfig } from './config.ts';
export { startAi } from './start-ai.ts';
