import { metricCatalogue as catalogue } from '../../catalogue/metric-catalogue.ts';
import type { QueryResolvers } from '../../__generated__/resolvers-types.ts';

export const metricCatalogue: NonNullable<QueryResolvers['metricCatalogue']> = () => [...catalogue];
