import { once } from 'node:events';
import { createLogger, createRedisClient, type Redis } from '@token-nexus/shared';

/** Keys per DEL: few round trips, none that holds Redis up for long. */
const deleteChunk = 1_000;

/**
 * A Redis connection made as the services make theirs (`createRedisClient`: no offline
 * queue, short timeouts), so that what is timed through it is what they would see. It is
 * ready when this resolves: the client fails commands at once while it is still connecting.
 */
export async function connectRedis(url: string, name: string): Promise<Redis> {
  const redis = createRedisClient(url, name, createLogger('bench', 'silent'));
  if (redis.status !== 'ready') {
    try {
      await once(redis, 'ready', { signal: AbortSignal.timeout(5_000) });
    } catch {
      redis.disconnect();
      throw new Error(`Redis at ${url} did not answer within 5 s`);
    }
  }
  return redis;
}

/**
 * How many Lua scripts (EVAL and EVALSHA) Redis has run to completion since it started,
 * from INFO commandstats. The number is for the whole server: other clients' scripts
 * count too, so a difference between two readings is at least what this process ran.
 */
export async function scriptRuns(redis: Redis): Promise<number> {
  const info = await redis.info('commandstats');
  let runs = 0;
  for (const line of info.split(/\r?\n/)) {
    const match = /^cmdstat_(?:eval|evalsha):(.*)$/.exec(line);
    if (!match) continue;
    const stats = new Map(match[1]!.split(',').map((pair) => pair.split('=') as [string, string]));
    // A NOSCRIPT answer (ioredis then sends EVAL) counts as a failed EVALSHA call.
    runs += Number(stats.get('calls') ?? 0) - Number(stats.get('failed_calls') ?? 0);
  }
  return runs;
}

/** Deletes `keys` (those that exist) in chunks. @returns how many existed. */
export async function deleteKeys(redis: Redis, keys: Iterable<string>): Promise<number> {
  let deleted = 0;
  let chunk: string[] = [];
  for (const key of keys) {
    chunk.push(key);
    if (chunk.length === deleteChunk) {
      deleted += await redis.unlink(...chunk);
      chunk = [];
    }
  }
  if (chunk.length > 0) deleted += await redis.unlink(...chunk);
  return deleted;
}

/**
 * Deletes every key that starts with `prefix`, found with SCAN (which never blocks Redis
 * the way KEYS would). Only for a prefix this process made up: anything else under it
 * would go too. @returns how many keys were deleted.
 */
export async function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<number> {
  if (/[*?[\]\\]/.test(prefix)) throw new Error(`"${prefix}" would be read as a pattern`);
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', deleteChunk);
    found.push(...keys);
    cursor = next;
  } while (cursor !== '0');
  return deleteKeys(redis, found);
}
