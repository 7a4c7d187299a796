import { loadTypeDefs, type SubgraphDefinition } from '@token-nexus/shared';
import { resolvers } from './resolvers/index.ts';

/** The cms subgraph: pages and posts, their revisions, components and templates. */
export const cmsSubgraph: SubgraphDefinition = {
  name: 'cms',
  typeDefs: loadTypeDefs(new URL('../schema.graphql', import.meta.url)),
  resolvers,
};

export { loadCmsConfig, type CmsConfig } from './config.ts';
export { startCms, type CmsStartOptions } from './start-cms.ts';
