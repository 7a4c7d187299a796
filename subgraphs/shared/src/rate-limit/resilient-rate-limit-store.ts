import type { Logger } from 'pino';
import { MemoryRateLimitStore, type RateLimitDecision, type RateLimitStore } from './rate-limit-store.ts';

/**
 * Redis first; while Redis cannot answer, this process's own counts. Requests are never
 * let through unlimited and never failed because Redis is away: each instance then
 * enforces the limit on its own (so N instances admit at most N times the limit), which
 * is logged and reported as `local` until Redis answers again.
 */
export class ResilientRateLimitStore implements RateLimitStore {
  private readonly fallback = new MemoryRateLimitStore();
  private degraded = false;

  constructor(
    private readonly primary: RateLimitStore,
    private readonly logger: Logger,
  ) {}

  readonly mode = () => (this.degraded ? 'local' : 'shared') as 'shared' | 'local';

  async hit(key: string, limit: number, windowMs: number): Promise<RateLimitDecision> {
    try {
      const decision = await this.primary.hit(key, limit, windowMs);
      if (this.degraded) {
        this.degraded = false;
        this.logger.info('rate limits are shared through Redis again');
      }
      return decision;
    } catch (error) {
      if (!this.degraded) {
        this.degraded = true;
        this.logger.error({ err: error }, 'Redis unreachable: rate limits are counted per instance until it returns');
      }
      this.fallback.prune(24 * 3_600_000);
      return this.fallback.hit(key, limit, windowMs);
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.primary.close(), this.fallback.close()]);
  }
}
