import { loadTypeDefs, type SubgraphDefinition } from '@token-nexus/shared';
import { resolvers } from './resolvers/index.ts';

/** The media subgraph: organizations' uploaded files, checked and processed, and their URLs. */
export const mediaSubgraph: SubgraphDefinition = {
  name: 'media',
  typeDefs: loadTypeDefs(new URL('../schema.graphql', import.meta.url)),
  resolvers,
};

export { loadMediaConfig, type MediaConfig } from './config.ts';
export { startMedia } from './start-media.ts';
