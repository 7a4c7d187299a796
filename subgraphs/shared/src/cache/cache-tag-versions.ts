import { randomUUID } from 'node:crypto';
import { whenConnected, type Redis } from '../redis/redis-client.ts';

/** A tag's version before anything bumped it (or after its record expired). */
export const unbumpedVersion = '0';

/**
 * The current version of every cache tag, shared by all instances. A cached answer is
 * stamped with the versions of its tags when stored, and is served only while they all
 * still hold: a committed change bumps the tags it touched (before its response leaves,
 * so whoever reads after the response never gets the old answer), and the stale answers
 * simply stop matching. No entry is ever looked for or deleted.
 *
 * Versions are random, never counters: a version that expired and is bumped again can
 * never come back to a value an old answer was stamped with.
 */
export interface CacheTagVersions {
  /** Where versions are kept: Redis (every instance), or this process (the embedded graph). */
  readonly store: 'redis' | 'in-memory';
  /** The current version of each tag, in order (`unbumpedVersion` for one never bumped). */
  read(tags: readonly string[]): Promise<string[]>;
  /** Gives each tag a new version, and moves the epoch on. */
  bump(tags: readonly string[]): Promise<void>;
  /**
   * A value that changes with every bump anywhere: read before and after fetching an
   * answer, it tells whether a change may have raced the fetch (then the answer is not stored).
   */
  epoch(): Promise<string>;
  /** Throws when the store cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Versions in Redis, under the deployment's key prefix. */
export class RedisCacheTagVersions implements CacheTagVersions {
  readonly store = 'redis' as const;
  private readonly tagPrefix: string;
  private readonly epochKey: string;
  private readonly generationKey: string;
  /** A bump that failed: until the generation has moved on, nothing here may be trusted. */
  private owedGeneration: Promise<void> | null = null;
  private closed = false;

  /**
   * @param keyPrefix the deployment's prefix of Redis keys (EVENT_CHANNEL_PREFIX).
   * @param versionTtlSeconds how long a version is kept after its last bump: at least the
   *   longest an answer may be cached (an expired version reads as unbumped, which no
   *   answer stamped after a bump matches).
   */
  constructor(
    private readonly redis: Redis,
    keyPrefix: string,
    private readonly versionTtlSeconds: number,
  ) {
    this.tagPrefix = `${keyPrefix}cache:tag:`;
    this.epochKey = `${keyPrefix}cache:epoch`;
    this.generationKey = `${keyPrefix}cache:generation`;
  }

  /** Each version is prefixed with the generation, which moves on after a lost bump. */
  async read(tags: readonly string[]): Promise<string[]> {
    if (this.owedGeneration) throw new Error('a cache invalidation is still owed');
    await whenConnected(this.redis);
    const [generation, ...values] = await this.redis.mget([this.generationKey, ...tags.map((tag) => this.tagPrefix + tag)]);
    return values.map((value) => `${generation ?? unbumpedVersion}:${value ?? unbumpedVersion}`);
  }

  /**
   * Bumps the tags in one transaction. If that fails (Redis away), the change it was for
   * has committed and cached answers may hold what it changed: the generation is then
   * moved on as soon as Redis answers again, so every answer stored before is stale.
   */
  async bump(tags: readonly string[]): Promise<void> {
    if (tags.length === 0) return;
    await whenConnected(this.redis);
    const transaction = this.redis.multi();
    for (const tag of new Set(tags)) transaction.set(this.tagPrefix + tag, randomUUID(), 'EX', this.versionTtlSeconds);
    transaction.incr(this.epochKey);
    try {
      const results = await transaction.exec();
      const failed = results?.find(([error]) => error)?.[0];
      if (!results || failed) throw failed ?? new Error('the cache invalidation was discarded');
    } catch (error) {
      this.oweGeneration();
      throw error;
    }
  }

  private oweGeneration(): void {
    this.owedGeneration ??= (async () => {
      for (let delayMs = 100; !this.closed; delayMs = Math.min(delayMs * 2, 5_000)) {
        try {
          await this.redis.multi().set(this.generationKey, randomUUID()).incr(this.epochKey).exec();
          this.owedGeneration = null;
          return;
        } catch {
          await new Promise((resolve) => setTimeout(resolve, delayMs));
        }
      }
    })();
  }

  async epoch(): Promise<string> {
    await whenConnected(this.redis);
    return (await this.redis.get(this.epochKey)) ?? unbumpedVersion;
  }

  /** Throws while Redis is away, and while an invalidation lost to an outage is still owed. */
  async ping(): Promise<void> {
    await whenConnected(this.redis);
    await this.redis.ping();
    if (this.owedGeneration) throw new Error('a cache invalidation is still owed');
  }

  async close(): Promise<void> {
    this.closed = true;
    this.redis.disconnect();
  }
}

/** Versions in this process: the embedded graph, where every service shares one instance. */
export class MemoryCacheTagVersions implements CacheTagVersions {
  readonly store = 'in-memory' as const;
  private readonly versions = new Map<string, string>();
  private epochValue = 0;
  /**
   * Part of every version read. Forgetting the versions (past `maxTags`) moves it on, so
   * that no answer stamped before can match again, as expired Redis versions cannot.
   */
  private generation = randomUUID();

  constructor(private readonly maxTags = 100_000) {}

  async read(tags: readonly string[]): Promise<string[]> {
    return tags.map((tag) => `${this.generation}:${this.versions.get(tag) ?? unbumpedVersion}`);
  }

  async bump(tags: readonly string[]): Promise<void> {
    if (this.versions.size + tags.length > this.maxTags) {
      this.versions.clear();
      this.generation = randomUUID();
    }
    for (const tag of tags) this.versions.set(tag, randomUUID());
    this.epochValue++;
  }

  async epoch(): Promise<string> {
    return String(this.epochValue);
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.versions.clear();
  }
}
