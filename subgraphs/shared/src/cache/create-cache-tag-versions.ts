import type { Logger } from 'pino';
import { createRedisClient } from '../redis/redis-client.ts';
import { MemoryCacheTagVersions, RedisCacheTagVersions, type CacheTagVersions } from './cache-tag-versions.ts';

/** The longest a version is kept after its last bump: a day, far beyond any answer's max-age. */
const versionTtlSeconds = 24 * 60 * 60;

/** Redis when configured (versions every instance shares), this process's memory otherwise. */
export function createCacheTagVersions(options: {
  redisUrl: string | undefined;
  keyPrefix: string;
  service: string;
  logger: Logger;
}): CacheTagVersions {
  if (!options.redisUrl) return new MemoryCacheTagVersions();
  return new RedisCacheTagVersions(
    createRedisClient(options.redisUrl, `tnx-${options.service}-cache`, options.logger),
    options.keyPrefix,
    versionTtlSeconds,
  );
}
