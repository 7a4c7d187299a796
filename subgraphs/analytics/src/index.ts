import { loadTypeDefs, type SubgraphDefinition } from '@token-nexus/shared';
import { resolvers } from './resolvers/index.ts';

/** The analytics subgraph: the metric catalogue, metrics over time, dashboard widget data and tracked events. */
export const analyticsSubgraph: SubgraphDefinition = {
  name: 'analytics',
  typeDefs: loadTypeDefs(new URL('../schema.graphql', import.meta.url)),
  resolvers,
};

export { loadAnalyticsConfig, type AnalyticsConfig } from './config.ts';
export { startAnalytics } from './start-analytics.ts';
export { metricCatalogue } from './catalogue/metric-catalogue.ts';
