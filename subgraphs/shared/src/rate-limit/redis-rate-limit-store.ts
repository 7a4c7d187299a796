import { randomUUID } from 'node:crypto';
import { whenConnected, type Redis } from '../redis/redis-client.ts';
import type { RateLimitDecision, RateLimitStore } from './rate-limit-store.ts';

/**
 * The sliding-window count as one Lua script: Redis runs it atomically, so concurrent
 * uses from any number of gateways and subgraph replicas can never both see room for the
 * last allowed use; and it reads Redis's own clock, so instances with skewed clocks agree
 * on what is inside the window.
 *
 * KEYS[1] the counter (a sorted set of allowed uses, scored by time)
 * ARGV    limit, window in ms, a unique member for this use
 * returns {allowed (0/1), remaining, retryAfterMs, resetMs}
 */
const slidingWindowScript = `
local key = KEYS[1]
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local count = redis.call('ZCARD', key)
if count < limit then
  redis.call('ZADD', key, now, ARGV[3])
  redis.call('PEXPIRE', key, window)
  local oldest = tonumber(redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')[2])
  return {1, limit - count - 1, 0, oldest + window - now}
end
local oldest = tonumber(redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')[2])
local newest = tonumber(redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')[2])
return {0, 0, oldest + window - now, newest + window - now}
`;

/** Counts shared by every instance, in Redis. */
export class RedisRateLimitStore implements RateLimitStore {
  readonly mode = () => 'shared' as const;

  /**
   * `keyPrefix` (the deployment's, e.g. `tnx-prod:`) has intentionally no default: two
   * deployments sharing a Redis must never share a budget.
   */
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {
    redis.defineCommand('tnxRateLimitHit', { numberOfKeys: 1, lua: slidingWindowScript });
  }

  async hit(key: string, limit: number, windowMs: number): Promise<RateLimitDecision> {
    await whenConnected(this.redis);
    const [allowed, remaining, retryAfterMs, resetMs] = (await (
      this.redis as unknown as {
        tnxRateLimitHit(key: string, limit: number, window: number, member: string): Promise<number[]>;
      }
    ).tnxRateLimitHit(this.keyPrefix + key, limit, windowMs, randomUUID())) as [number, number, number, number];
    return { allowed: allowed === 1, limit, remaining, retryAfterMs: Math.max(0, retryAfterMs), resetMs: Math.max(0, resetMs) };
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
