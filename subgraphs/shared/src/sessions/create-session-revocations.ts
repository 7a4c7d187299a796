import type { Logger } from 'pino';
import { createRedisClient, createSubscriberClient } from '../redis/redis-client.ts';
import { MirroredSessionRevocations } from './mirrored-session-revocations.ts';
import {
  MemorySessionRevocations,
  RedisSessionRevocations,
  type SessionRevocations,
} from './session-revocations.ts';

/**
 * Redis when a URL is configured (every multi-process deployment), under the deployment's
 * `keyPrefix`; memory otherwise. A service that asks on every request (the gateway) wants
 * the list `mirrored` in its process; one that only records ends (identity) does not.
 */
export function createSessionRevocations(options: {
  redisUrl: string | undefined;
  keyPrefix: string;
  service: string;
  logger: Logger;
  mirrored?: boolean;
}): SessionRevocations {
  const { redisUrl, keyPrefix, service, logger } = options;
  if (!redisUrl) return new MemorySessionRevocations();
  const redis = createRedisClient(redisUrl, `tnx-${service}`, logger);
  const shared = new RedisSessionRevocations(redis, keyPrefix);
  if (!options.mirrored) return shared;
  const subscriber = createSubscriberClient(redisUrl, `tnx-${service}-revocations`, logger);
  return new MirroredSessionRevocations(shared, redis, subscriber, keyPrefix, logger);
}
