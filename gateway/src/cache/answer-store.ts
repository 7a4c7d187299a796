import { whenConnected, type Redis } from '@token-nexus/shared';

/** A subgraph's answer as cached: its JSON, the tags it holds, their versions when stored. */
export interface StoredAnswer {
  /** The answer's `{ data, errors? }` as JSON: parsed afresh for every reader. */
  json: string;
  tags: string[];
  versions: string[];
  /** When it stops being fresh (epoch milliseconds). */
  expiresAt: number;
}

/** Where answers are kept between requests. */
export interface AnswerStore {
  get(key: string): Promise<StoredAnswer | null>;
  set(key: string, answer: StoredAnswer): Promise<void>;
}

/** Answers in Redis, shared by every gateway, each expiring with its max-age. */
export class RedisAnswerStore implements AnswerStore {
  private readonly prefix: string;

  constructor(
    private readonly redis: Redis,
    keyPrefix: string,
  ) {
    this.prefix = `${keyPrefix}cache:answer:`;
  }

  async get(key: string): Promise<StoredAnswer | null> {
    await whenConnected(this.redis);
    const value = await this.redis.get(this.prefix + key);
    return value ? (JSON.parse(value) as StoredAnswer) : null;
  }

  async set(key: string, answer: StoredAnswer): Promise<void> {
    const ttlMs = answer.expiresAt - Date.now();
    if (ttlMs <= 0) return;
    await this.redis.set(this.prefix + key, JSON.stringify(answer), 'PX', ttlMs);
  }
}
