import { whenConnected, type Redis } from '../redis/redis-client.ts';

/**
 * Sessions that have ended (log out, or a stolen refresh token detected) while access
 * tokens issued for them may still be unexpired. Identity records the end; the gateway
 * refuses those tokens on every request, so a log out takes effect at once, not when the
 * last access token expires.
 *
 * An entry only needs to live as long as an access token can, so it expires by itself.
 * A gateway keeps its own copy of the list (see MirroredSessionRevocations), so that
 * asking costs no round trip to Redis.
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

/** The message announcing an ended session on the deployment's revocation channel. */
export interface SessionRevokedMessage {
  sessionId: string;
  /** How long the session's access tokens may still be presented. */
  forSeconds: number;
}

/**
 * Where a deployment keeps its ended sessions in Redis (one key each, `key` + session id)
 * and the channel on which each end is announced, both under the deployment's prefix.
 */
export function revocationNames(keyPrefix: string): { key: string; channel: string } {
  return { key: `${keyPrefix}revoked-session:`, channel: `${keyPrefix}session-revoked` };
}

/** Shared by every gateway and identity instance through Redis. */
export class RedisSessionRevocations implements SessionRevocations {
  readonly store = 'redis' as const;
  private readonly prefix: string;
  private readonly channel: string;

  constructor(
    private readonly redis: Redis,
    /**
     * The deployment's key prefix (e.g. `tnx-prod:`), without a default on purpose: a
     * deployment must never take another's log-outs for its own, nor miss its own.
     */
    keyPrefix: string,
  ) {
    ({ key: this.prefix, channel: this.channel } = revocationNames(keyPrefix));
  }

  /**
   * Records the end and announces it, in one transaction: a gateway that loads the list
   * after subscribing to the channel can miss neither.
   */
  async revoke(sessionId: string, forSeconds: number): Promise<void> {
    const seconds = Math.max(1, Math.ceil(forSeconds));
    const message: SessionRevokedMessage = { sessionId, forSeconds: seconds };
    await whenConnected(this.redis);
    const results = await this.redis
      .multi()
      .set(this.prefix + sessionId, '1', 'EX', seconds)
      .publish(this.channel, JSON.stringify(message))
      .exec();
    const failed = results?.find(([error]) => error)?.[0];
    if (!results || failed) throw failed ?? new Error('the session revocation was discarded');
  }

  async isRevoked(sessionId: string): Promise<boolean> {
    await whenConnected(this.redis);
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
