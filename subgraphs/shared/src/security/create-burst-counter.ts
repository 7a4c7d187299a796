import type { Logger } from 'pino';
import { createRedisClient } from '../redis/redis-client.ts';
import { MemoryBurstCounter, type BurstCounter } from './burst-counter.ts';
import { RedisBurstCounter } from './redis-burst-counter.ts';
import { ResilientBurstCounter } from './resilient-burst-counter.ts';

/**
 * Redis (with a per-instance fallback) when configured, so that replicas count together;
 * this process's memory otherwise, which holds because without Redis the whole graph runs
 * in one process. Counts live under the deployment's `keyPrefix`.
 */
export function createBurstCounter(options: {
  redisUrl: string | undefined;
  keyPrefix: string;
  service: string;
  logger: Logger;
}): BurstCounter {
  const { redisUrl, keyPrefix, service, logger } = options;
  if (!redisUrl) return new MemoryBurstCounter();
  return new ResilientBurstCounter(
    new RedisBurstCounter(createRedisClient(redisUrl, `tnx-${service}-security-bursts`, logger), keyPrefix),
    logger,
  );
}
