import { loadTypeDefs, type SubgraphDefinition } from '@token-nexus/shared';
import { resolvers } from './resolvers/index.ts';

/** The identity & organizations subgraph: users, organizations, memberships, sessions, dashboards. */
export const identitySubgraph: SubgraphDefinition = {
  name: 'identity',
  typeDefs: loadTypeDefs(new URL('../schema.graphql', import.meta.url)),
  resolvers,
};

export { loadIdentityConfig, type IdentityConfig } from './config.ts';
export { startIdentity } from './start-identity.ts';
