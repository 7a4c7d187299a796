import type { Logger } from 'pino';
import { createRedisClient } from '../redis/redis-client.ts';
import {
  MemorySessionRevocations,
  RedisSessionRevocations,
  type SessionRevocations,
} from './session-revocations.ts';

/**
 * Redis when a URL is configured (every multi-process deployment), under the deployment's
 * `keyPrefix`; memory otherwise.
 */
export function createSessionRevocations(options: {
  redisUrl: string | undefined;
  keyPrefix: string;
  service: string;
  logger: Logger;
}): SessionRevocations {
  const { redisUrl, keyPrefix, service, logger } = options;
  return redisUrl
    ? new RedisSessionRevocations(createRedisClient(redisUrl, `tnx-${service}`, logger), keyPrefix)
    : new MemorySessionRevocations();
}
