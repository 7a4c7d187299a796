import { randomUUID } from 'node:crypto';
import { whenConnected, type Redis } from '../redis/redis-client.ts';
import type { BurstCounter, BurstObservation } from './burst-counter.ts';

/**
 * One atomic script on Redis's clock, so every instance (two identity replicas, say) adds
 * to the same count and exactly one of them is told to alert: the alert marker is set with
 * NX for a window, whichever instance sees the threshold first wins it.
 *
 * KEYS[1] the occurrences (a sorted set scored by time; only the newest `threshold` kept)
 * KEYS[2] the alert marker, alive for a window after an alert
 * ARGV    threshold, window in ms, a unique member for this occurrence
 * returns {count, alert (0/1)}
 */
const observeScript = `
local threshold = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -threshold - 1)
redis.call('PEXPIRE', KEYS[1], window)
local count = redis.call('ZCARD', KEYS[1])
if count >= threshold and redis.call('SET', KEYS[2], '1', 'NX', 'PX', window) then
  return {count, 1}
end
return {count, 0}
`;

/** Counts shared by every instance, in Redis. */
export class RedisBurstCounter implements BurstCounter {
  /** `keyPrefix`: the deployment's (see EVENT_CHANNEL_PREFIX); intentionally no default. */
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {
    redis.defineCommand('tnxObserveBurst', { numberOfKeys: 2, lua: observeScript });
  }

  async observe(key: string, threshold: number, windowMs: number): Promise<BurstObservation> {
    await whenConnected(this.redis);
    // One hash slot for both keys (a script's keys must share one on a cluster).
    const base = `${this.keyPrefix}burst:{${key}}`;
    const [count, alert] = (await (
      this.redis as unknown as {
        tnxObserveBurst(counts: string, marker: string, threshold: number, window: number, member: string): Promise<number[]>;
      }
    ).tnxObserveBurst(`${base}:times`, `${base}:alerted`, threshold, windowMs, randomUUID())) as [number, number];
    return { count, alert: alert === 1 };
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
