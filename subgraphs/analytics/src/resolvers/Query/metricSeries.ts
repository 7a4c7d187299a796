import type { QueryResolvers } from '../../__generated__/resolvers-types.ts';
import { readMetricSeries } from '../../providers/metric-reads.ts';

export const metricSeries: NonNullable<QueryResolvers['metricSeries']> = (_parent, args, ctx) =>
  readMetricSeries(ctx, args);
