import type { Logger } from 'pino';
import { MemoryBurstCounter, type BurstCounter, type BurstObservation } from './burst-counter.ts';

/**
 * Redis first; while Redis cannot answer, this process's own counts (logged when it
 * starts and ends). Bursts are then seen per instance only, which is still better than
 * not at all; nothing a caller does ever fails because Redis is away.
 */
export class ResilientBurstCounter implements BurstCounter {
  private readonly fallback = new MemoryBurstCounter();
  private degraded = false;

  constructor(
    private readonly primary: BurstCounter,
    private readonly logger: Logger,
  ) {}

  async observe(key: string, threshold: number, windowMs: number): Promise<BurstObservation> {
    try {
      const observation = await this.primary.observe(key, threshold, windowMs);
      if (this.degraded) {
        this.degraded = false;
        this.logger.info('security bursts are counted through Redis again');
      }
      return observation;
    } catch (error) {
      if (!this.degraded) {
        this.degraded = true;
        this.logger.error({ err: error }, 'Redis unreachable: security bursts are counted per instance until it returns');
      }
      this.fallback.prune(24 * 3_600_000);
      return this.fallback.observe(key, threshold, windowMs);
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.primary.close(), this.fallback.close()]);
  }
}
