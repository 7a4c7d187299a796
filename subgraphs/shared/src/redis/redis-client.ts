import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { trackRedisConnection } from '../metrics/process-wide-sources.ts';
import { traceRedisCommands } from '../telemetry/traced-redis.ts';

export type { Redis };

/**
 * A Redis connection for request-time work. Commands fail fast while Redis is away
 * (no offline queue, a short command timeout) so callers can fall back instead of making
 * requests wait; ioredis keeps reconnecting in the background. An outage is logged once
 * when it starts and once when it ends, not on every retry.
 */
export function createRedisClient(url: string, name: string, logger: Logger): Redis {
  const redis = new Redis(url, {
    connectionName: name,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 500,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  reportOutages(redis, logger);
  trackRedisConnection(redis, name);
  traceRedisCommands(redis);
  return redis;
}

/**
 * A Redis connection that subscribes to channels. Unlike request-time commands, a
 * subscription must outlive outages: its commands queue while it reconnects, and ioredis
 * subscribes again once it is back. Outages are logged like createRedisClient's.
 */
export function createSubscriberClient(url: string, name: string, logger: Logger): Redis {
  const redis = new Redis(url, {
    connectionName: name,
    maxRetriesPerRequest: null,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  reportOutages(redis, logger);
  trackRedisConnection(redis, name);
  return redis;
}

/**
 * Logs an outage of `redis` once when it starts and once when it ends, not on every
 * retry; the listener also keeps ioredis from treating its errors as unhandled.
 */
export function reportOutages(redis: Redis, logger: Logger): void {
  let down = false;
  redis.on('error', (error: Error) => {
    if (down) return;
    down = true;
    logger.warn({ err: error }, 'Redis is unreachable; retrying in the background');
  });
  redis.on('ready', () => {
    if (!down) return;
    down = false;
    logger.info('Redis is reachable again');
  });
}

/**
 * Right after start-up a connection may still be opening; commands would fail at once
 * (there is no offline queue, on purpose), so first uses wait for it, briefly.
 */
export async function whenConnected(redis: Redis): Promise<void> {
  if (redis.status !== 'connecting' && redis.status !== 'connect' && redis.status !== 'wait') return;
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      redis.off('ready', done);
      resolve();
    };
    const timer = setTimeout(done, 1_000);
    redis.once('ready', done);
  });
}
