import { createRedisClient, type CacheTagVersions, type Logger } from '@token-nexus/shared';
import type { Registry } from 'prom-client';
import { RedisAnswerStore } from './answer-store.ts';
import { createCacheMetrics } from './cache-metrics.ts';
import { FetchCache, type FetchCacheOptions } from './fetch-cache.ts';
import { LocalAnswers } from './local-answers.ts';

/**
 * The gateway's cache from its configuration: answers in Redis (shared by every gateway)
 * with this process's most recent ones in front, or in this process only when no Redis is
 * configured (the embedded graph). Null when GATEWAY_CACHE is off.
 */
export function createFetchCache(options: {
  enabled: boolean;
  localEntries: number;
  redisUrl: string | undefined;
  keyPrefix: string;
  versions: CacheTagVersions;
  registry: Registry;
  logger: Logger;
  /** Where the cache asks for users' memberships (see identityMemberships). */
  memberships: FetchCacheOptions['memberships'];
}): { cache: FetchCache | null; close(): Promise<void> } {
  if (!options.enabled) return { cache: null, close: async () => {} };
  const redis = options.redisUrl ? createRedisClient(options.redisUrl, 'tnx-gateway-cache', options.logger) : null;
  const cache = new FetchCache({
    versions: options.versions,
    shared: redis ? new RedisAnswerStore(redis, options.keyPrefix) : null,
    local: new LocalAnswers(options.localEntries),
    metrics: createCacheMetrics(options.registry),
    logger: options.logger,
    ...(options.memberships ? { memberships: options.memberships } : {}),
  });
  return {
    cache,
    close: async () => {
      redis?.disconnect();
    },
  };
}
