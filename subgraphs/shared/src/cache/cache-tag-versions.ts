import { randomUUID } from 'node:crypto';
import { whenConnected, type Redis } from '../redis/redis-client.ts';

/** A tag's version before anything bumped it (or after its record expired). */
export const unbumpedVersion = '0';

/** The epoch before any change was recorded. */
const noChanges = '0-0';

/** A change that touched everything (a new generation): no answer fetched across it is stored. */
const everyTag = '*';

/** Bumps remembered, at least: an answer whose fetch spans more of them is not stored. */
const changesKept = 10_000;

/** Orders two Redis stream ids (`<ms>-<seq>`). */
function compareStreamIds(a: string, b: string): number {
  const [aMs, aSeq] = a.split('-').map(BigInt) as [bigint, bigint];
  const [bMs, bSeq] = b.split('-').map(BigInt) as [bigint, bigint];
  if (aMs !== bMs) return aMs < bMs ? -1 : 1;
  return aSeq === bSeq ? 0 : aSeq < bSeq ? -1 : 1;
}

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
   * Where the record of bumps stands now: read before fetching an answer, it is what
   * `stampUnchangedSince` checks the answer's tags against.
   */
  epoch(): Promise<string>;
  /**
   * The tags' current versions (as `read` gives them), provided no bump since `epoch`
   * touched any of them; null when one did (a change raced the fetch: its answer may
   * predate the change and must not be stored), or when the record no longer reaches
   * back to `epoch`. Changes to other tags, elsewhere, do not keep an answer out.
   */
  stampUnchangedSince(epoch: string, tags: readonly string[]): Promise<string[] | null>;
  /** Throws when the store cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Versions in Redis, under the deployment's key prefix. */
export class RedisCacheTagVersions implements CacheTagVersions {
  readonly store = 'redis' as const;
  private readonly tagPrefix: string;
  /** A stream of recent bumps (their tags), capped: the epoch is its last entry's id. */
  private readonly changesKey: string;
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
    this.changesKey = `${keyPrefix}cache:changes`;
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
    const distinct = [...new Set(tags)];
    for (const tag of distinct) transaction.set(this.tagPrefix + tag, randomUUID(), 'EX', this.versionTtlSeconds);
    this.recordChange(transaction, distinct);
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
          const transaction = this.redis.multi().set(this.generationKey, randomUUID());
          this.recordChange(transaction, [everyTag]);
          await transaction.exec();
          this.owedGeneration = null;
          return;
        } catch {
          await new Promise((resolve) => setTimeout(resolve, delayMs));
        }
      }
    })();
  }

  /** Adds a bump to the stream of changes, which keeps about the last `changesKept`. */
  private recordChange(transaction: ReturnType<Redis['multi']>, tags: readonly string[]): void {
    transaction.xadd(this.changesKey, 'MAXLEN', '~', String(changesKept), '*', 't', tags.join('\n'));
  }

  async epoch(): Promise<string> {
    await whenConnected(this.redis);
    const [last] = await this.redis.xrevrange(this.changesKey, '+', '-', 'COUNT', 1);
    return last?.[0] ?? noChanges;
  }

  async stampUnchangedSince(epoch: string, tags: readonly string[]): Promise<string[] | null> {
    if (this.owedGeneration) throw new Error('a cache invalidation is still owed');
    await whenConnected(this.redis);
    // One transaction: the versions read are those after exactly the bumps examined.
    const results = await this.redis
      .multi()
      .xrange(this.changesKey, '-', '+', 'COUNT', 1)
      .xrange(this.changesKey, epoch === noChanges ? '-' : `(${epoch}`, '+', 'COUNT', changesKept)
      .mget([this.generationKey, ...tags.map((tag) => this.tagPrefix + tag)])
      .exec();
    const failed = results?.find(([error]) => error)?.[0];
    if (!results || failed) throw failed ?? new Error('the cache versions could not be read');
    const [oldest, since, versions] = results.map(([, value]) => value) as [
      [string, string[]][],
      [string, string[]][],
      (string | null)[],
    ];
    // Trimmed past the epoch: what happened since cannot be told any more.
    const oldestId = oldest[0]?.[0];
    if (epoch !== noChanges && oldestId !== undefined && compareStreamIds(oldestId, epoch) > 0) return null;
    if (since.length >= changesKept) return null;
    const wanted = new Set(tags);
    for (const [, fields] of since) {
      const changed = (fields[1] ?? '').split('\n');
      if (changed.some((tag) => tag === everyTag || wanted.has(tag))) return null;
    }
    const [generation, ...values] = versions;
    return values.map((value) => `${generation ?? unbumpedVersion}:${value ?? unbumpedVersion}`);
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
  /** The last `changesKept` bumps, oldest first: their epoch and tags. */
  private readonly changes: { epoch: number; tags: ReadonlySet<string> }[] = [];
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
    let changed: ReadonlySet<string> = new Set(tags);
    if (this.versions.size + tags.length > this.maxTags) {
      this.versions.clear();
      this.generation = randomUUID();
      changed = new Set([everyTag]);
    }
    for (const tag of tags) this.versions.set(tag, randomUUID());
    this.epochValue++;
    this.changes.push({ epoch: this.epochValue, tags: changed });
    if (this.changes.length > changesKept) this.changes.shift();
  }

  async epoch(): Promise<string> {
    return String(this.epochValue);
  }

  async stampUnchangedSince(epoch: string, tags: readonly string[]): Promise<string[] | null> {
    const since = Number(epoch);
    const oldest = this.changes[0]?.epoch;
    if (oldest !== undefined && oldest > since + 1) return null;
    for (const change of this.changes) {
      if (change.epoch <= since) continue;
      if (change.tags.has(everyTag) || tags.some((tag) => change.tags.has(tag))) return null;
    }
    return this.read(tags);
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.versions.clear();
  }
}
