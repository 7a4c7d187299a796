import type { Logger } from 'pino';
import { whenConnected, type Redis } from '../redis/redis-client.ts';
import {
  revocationNames,
  type RedisSessionRevocations,
  type SessionRevocations,
  type SessionRevokedMessage,
} from './session-revocations.ts';

/** How many keys one SCAN step asks for while the list is loaded. */
const scanBatch = 1_000;

/**
 * The deployment's list of ended sessions, kept in this process so that the gateway's
 * check costs no round trip: loaded from Redis when its subscription to the revocation
 * channel is (re)established, then fed by what the channel announces (see
 * RedisSessionRevocations.revoke, which records and announces in one transaction).
 *
 * Until the copy is complete, and whenever the subscribed connection is down (an
 * announcement may be lost then), each question goes to Redis as it did before there was
 * a copy; when Redis cannot be reached either, that throws, and the caller decides
 * (authenticate.ts accepts the token and logs it).
 *
 * An announcement reaches another gateway within the time Redis takes to push it, which
 * is shorter than a client takes to read the log-out's answer and send its next request.
 */
export class MirroredSessionRevocations implements SessionRevocations {
  readonly store = 'redis' as const;
  /** Ended session id → when its access tokens have all expired (ms since the epoch). */
  private readonly ended = new Map<string, number>();
  private readonly names: { key: string; channel: string };
  private complete = false;
  /** Moves on whenever the subscribed connection closes: a load under way is then void. */
  private connection = 0;
  private closed = false;

  /**
   * @param shared the list in Redis: what a question falls back to, and what `revoke` writes.
   * @param commands a connection for loading the list (SCAN), which `subscriber` cannot do.
   * @param subscriber a connection of its own, given to this object: once it subscribes it
   *   can do nothing else. It must queue commands while disconnected (ioredis' default).
   */
  constructor(
    private readonly shared: RedisSessionRevocations,
    private readonly commands: Redis,
    private readonly subscriber: Redis,
    keyPrefix: string,
    private readonly logger: Logger,
  ) {
    this.names = revocationNames(keyPrefix);
    subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.names.channel) this.announced(message);
    });
    subscriber.on('close', () => {
      this.connection++;
      this.complete = false;
    });
    subscriber.on('ready', () => void this.load(this.connection));
    if (subscriber.status === 'ready') void this.load(this.connection);
  }

  /** Whether questions are answered here (true) or, until the copy is complete, by Redis. */
  get mirrored(): boolean {
    return this.complete;
  }

  async revoke(sessionId: string, forSeconds: number): Promise<void> {
    await this.shared.revoke(sessionId, forSeconds);
    // Not waiting for the announcement's echo: this process may answer the next request.
    this.remember(sessionId, forSeconds);
  }

  async isRevoked(sessionId: string): Promise<boolean> {
    if (!this.complete) return this.shared.isRevoked(sessionId);
    const expiry = this.ended.get(sessionId);
    return expiry !== undefined && expiry > Date.now();
  }

  ping(): Promise<void> {
    return this.shared.ping();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.complete = false;
    this.subscriber.disconnect();
    await this.shared.close();
  }

  /**
   * Subscribes first, then reads every recorded end: an end recorded while the keys are
   * read is announced to the subscription, so none is missed. Tried again every second
   * while Redis refuses, as long as the subscribed connection stays the same.
   */
  private async load(connection: number): Promise<void> {
    for (let attempt = 0; !this.closed && connection === this.connection; attempt++) {
      try {
        await this.subscriber.subscribe(this.names.channel);
        await whenConnected(this.commands);
        const loaded = await this.recordedEnds();
        if (connection !== this.connection || this.closed) return;
        for (const [sessionId, expiry] of loaded) this.ended.set(sessionId, Math.max(expiry, this.ended.get(sessionId) ?? 0));
        this.prune();
        this.complete = true;
        this.logger.info({ revokedSessions: this.ended.size }, 'ended sessions mirrored from Redis');
        return;
      } catch (error) {
        if (attempt === 0) this.logger.warn({ err: error }, 'could not load the ended sessions; asking Redis on every request meanwhile');
        await new Promise((resolve) => setTimeout(resolve, 1_000).unref());
      }
    }
  }

  /** Every ended session recorded in Redis, with when its record expires. */
  private async recordedEnds(): Promise<Map<string, number>> {
    const loaded = new Map<string, number>();
    let cursor = '0';
    do {
      const [next, keys] = await this.commands.scan(cursor, 'MATCH', `${this.names.key}*`, 'COUNT', scanBatch);
      cursor = next;
      if (keys.length === 0) continue;
      const pipeline = this.commands.pipeline();
      for (const key of keys) pipeline.pttl(key);
      const now = Date.now();
      const ttls = (await pipeline.exec()) ?? [];
      keys.forEach((key, index) => {
        const [error, ttl] = ttls[index] ?? [new Error('no answer')];
        if (error) throw error;
        // -2: expired since the SCAN; -1: recorded without an expiry, so kept as long.
        if (ttl === -2) return;
        loaded.set(key.slice(this.names.key.length), ttl === -1 ? Infinity : now + Number(ttl));
      });
    } while (cursor !== '0');
    return loaded;
  }

  private announced(message: string): void {
    try {
      const { sessionId, forSeconds } = JSON.parse(message) as SessionRevokedMessage;
      if (typeof sessionId === 'string' && typeof forSeconds === 'number') return this.remember(sessionId, forSeconds);
    } catch {
      // Reported below.
    }
    this.logger.warn({ message }, 'ignored an unreadable session revocation announcement');
  }

  private remember(sessionId: string, forSeconds: number): void {
    this.prune();
    const expiry = Date.now() + forSeconds * 1000;
    this.ended.set(sessionId, Math.max(expiry, this.ended.get(sessionId) ?? 0));
  }

  /** Ends are few (log-outs of the last access-token lifetime): a sweep per new one is cheap. */
  private prune(): void {
    const now = Date.now();
    for (const [sessionId, expiry] of this.ended) if (expiry <= now) this.ended.delete(sessionId);
  }
}
