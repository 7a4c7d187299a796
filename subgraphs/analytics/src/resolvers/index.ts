import { scalarResolvers } from '@token-nexus/shared';
import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { DashboardLayout } from './DashboardLayout.ts';
import { MetricDefinition } from './MetricDefinition.ts';
import { PageExperiment } from './PageExperiment.ts';
import { trackEvent } from './Mutation/trackEvent.ts';
import { metricCatalogue } from './Query/metricCatalogue.ts';
import { metricSeries } from './Query/metricSeries.ts';
import { metricSummary } from './Query/metricSummary.ts';
import { operationPerformance } from './Query/operationPerformance.ts';
import { serviceLevel } from './Query/serviceLevel.ts';
import { Subscription } from './Subscription.ts';

export const resolvers: Resolvers = {
  ...scalarResolvers,
  Query: { metricCatalogue, metricSummary, metricSeries, operationPerformance, serviceLevel },
  Mutation: { trackEvent },
  Subscription,
  DashboardLayout,
  MetricDefinition,
  PageExperiment,
};
