import type { Redis } from '../redis/redis-client.ts';

/**
 * Sessions that have ended (log out, or a stolen refresh token detected) while access
 * tokens issued for them may still be unexpired. Identity records the end; the gateway
 * refuses those tokens on every request, so a log out takes effect at once, not when the
 * last access token expires.
 *
 * An entry only needs to live as long as an access token can, so it expires by itself.
 */
export interface SessionRevocations {
  /** Where ended sessions are kept: Redis (shared by every instance), or this process. */
  readonly store: 'redis' | 'in-memory';
  revoke(sessionId: string, forSeconds: number): Promise<void>;
  isRevoked(sessionId: string): Promise<boolean>;
  /** Throws when the store cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Shared by every gateway and identity instance through Redis. */
export class RedisSessionRevocations implements SessionRevocations {
  readonly store = 'redis' as const;
  private readonly prefix: string;

  constructor(
    private readonly redis: Redis,
    /**
     * The deployment's key prefix (e.g. `tnx-prod:`), without a default on purpose: a
     * deployment must never take another's log-outs for its own, nor miss its own.
     */
    keyPrefix: string,
  ) {
    this.prefix = `${keyPrefix}revoked-session:`;
  }

  async revoke(sessionId: string, forSeconds: number): Promise<void> {
    await this.redis.set(this.prefix + sessionId, '1', 'EX', Math.max(1, Math.ceil(forSeconds)));
  }

  async isRevoked(sessionId: string): Promise<boolean> {
    return (await this.redis.exists(this.prefix + sessionId)) === 1;
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}

/** For one process (the embedded quick start): the gateway and identity share the instance. */
export class MemorySessionRevocations implements SessionRevocations {
  readonly store = 'in-memory' as const;
  private readonly expiries = new Map<string, number>();

  async revoke(sessionId: string, forSeconds: number): Promise<void> {
    this.prune();
    this.expiries.set(sessionId, Date.now() + forSeconds * 1000);
  }

  async isRevoked(sessionId: string): Promise<boolean> {
    const expiry = this.expiries.get(sessionId);
    return expiry !== undefined && expiry > Date.now();
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.expiries.clear();
  }

  private prune(): void {
    const now = Date.now();
    for (const [sessionId, expiry] of this.expiries) if (expiry <= now) this.expiries.delete(sessionId);
  }
}
