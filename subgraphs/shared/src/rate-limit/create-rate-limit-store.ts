import type { Logger } from 'pino';
import { createRedisClient } from '../redis/redis-client.ts';
import { MemoryRateLimitStore, type RateLimitStore } from './rate-limit-store.ts';
import { RedisRateLimitStore } from './redis-rate-limit-store.ts';
import { ResilientRateLimitStore } from './resilient-rate-limit-store.ts';

/**
 * Redis (with a per-instance fallback) when configured; this process's memory otherwise.
 * Counters live under the deployment's `keyPrefix`.
 */
export function createRateLimitStore(options: {
  redisUrl: string | undefined;
  keyPrefix: string;
  service: string;
  logger: Logger;
}): RateLimitStore {
  const { redisUrl, keyPrefix, service, logger } = options;
  if (!redisUrl) return new MemoryRateLimitStore();
  return new ResilientRateLimitStore(
    new RedisRateLimitStore(createRedisClient(redisUrl, `tnx-${service}-rate-limits`, logger), keyPrefix),
    logger,
  );
}
