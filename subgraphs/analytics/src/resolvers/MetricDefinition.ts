import { isRawOnly } from '../catalogue/metric-catalogue.ts';
import type { MetricDefinitionResolvers } from '../__generated__/resolvers-types.ts';

export const MetricDefinition: MetricDefinitionResolvers = {
  dimensions: (metric) => [...metric.dimensions],
  rawOnly: (metric) => isRawOnly(metric),
};
