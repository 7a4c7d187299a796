import type { Logger } from 'pino';
import { createRedisClient } from '../redis/redis-client.ts';
import {
  MemorySessionRevocations,
  RedisSessionRevocations,
  type SessionRevocations,
} from './session-revocations.ts';

/** Redis when a URL is configured (every multi-process deployment), memory otherwise. */
export function createSessionRevocations(
  redisUrl: string | undefined,
  service: string,
  logger: Logger,
): SessionRevocations {
  return redisUrl
    ? new RedisSessionRevocations(createRedisClient(redisUrl, `tnx-${service}`, logger))
    : new MemorySessionRevocations();
}
