import DataLoader from 'dataloader';
import type { PrismaClient } from '@token-nexus/prisma';
import { readRollups, type RollupAnswer, type RollupRequest } from './providers/rollup-query.ts';

/**
 * The request's loaders. Every metric read of a request (each widget's summary, its
 * previous period and its series) goes through `rollups`, which reads them all in one
 * statement.
 */
export function createLoaders(prisma: PrismaClient) {
  return {
    rollups: new DataLoader<RollupRequest, RollupAnswer, string>((requests) => readRollups(prisma, requests), {
      cacheKeyFn: (request) =>
        [
          request.organizationId,
          request.metric,
          request.unit,
          request.timeZone,
          request.from.toISOString(),
          request.to.toISOString(),
          request.split ?? '',
        ].join('|'),
      maxBatchSize: 500,
    }),
  };
}

export type AnalyticsLoaders = ReturnType<typeof createLoaders>;
