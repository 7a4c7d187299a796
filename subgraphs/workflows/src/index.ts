import { loadTypeDefs, type SubgraphDefinition } from '@token-nexus/shared';
import { resolvers } from './resolvers/index.ts';

/** The workflows subgraph: organizations' workflow definitions (trigger, typed steps, scopes) and their versions. */
export const workflowsSubgraph: SubgraphDefinition = {
  name: 'workflows',
  typeDefs: loadTypeDefs(new URL('../schema.graphql', import.meta.url)),
  resolvers,
};

export { loadWorkflowsConfig, type WorkflowsConfig } from './config.ts';
export { startWorkflows } from './start-workflows.ts';
