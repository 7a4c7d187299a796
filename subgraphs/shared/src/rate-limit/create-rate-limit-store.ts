import type { Logger } from 'pino';
import { createRedisClient } from '../redis/redis-client.ts';
import { MemoryRateLimitStore, type RateLimitStore } from './rate-limit-store.ts';
import { RedisRateLimitStore } from './redis-rate-limit-store.ts';
import { ResilientRateLimitStore } from './resilient-rate-limit-store.ts';

/** Redis (with a per-instance fallback) when configured; this process's memory otherwise. */
export function createRateLimitStore(redisUrl: string | undefined, service: string, logger: Logger): RateLimitStore {
  if (!redisUrl) return new MemoryRateLimitStore();
  return new ResilientRateLimitStore(
    new RedisRateLimitStore(createRedisClient(redisUrl, `tnx-${service}-rate-limits`, logger)),
    logger,
  );
}
