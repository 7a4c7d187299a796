import type { QueryResolvers } from '../../__generated__/resolvers-types.ts';
import { readMetricSummary } from '../../providers/metric-reads.ts';

export const metricSummary: NonNullable<QueryResolvers['metricSummary']> = (_parent, args, ctx) =>
  readMetricSummary(ctx, args);
