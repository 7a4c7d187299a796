import { loadTypeDefs, type SubgraphDefinition } from '@token-nexus/shared';
import { resolvers } from './resolvers/index.ts';

/** The integrations subgraph: webhook endpoints and their deliveries. */
export const integrationsSubgraph: SubgraphDefinition = {
  name: 'integrations',
  typeDefs: loadTypeDefs(new URL('../schema.graphql', import.meta.url)),
  resolvers,
};

export { loadIntegrationsConfig, type IntegrationsConfig } from './config.ts';
export { startIntegrations } from './start-integrations.ts';
