import { LRUCache } from 'lru-cache';
import type { StoredAnswer } from './answer-store.ts';

/**
 * The in-process layer in front of the shared store: the most recently used answers of
 * this gateway, so a hit costs no transfer of the answer (its tags' versions are still
 * checked against the shared store). Bounded by count; each expires with its max-age.
 */
export class LocalAnswers {
  private readonly entries: LRUCache<string, StoredAnswer>;

  constructor(maxEntries: number) {
    this.entries = new LRUCache<string, StoredAnswer>({ max: maxEntries });
  }

  get(key: string): StoredAnswer | null {
    const answer = this.entries.get(key);
    if (!answer) return null;
    if (answer.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return null;
    }
    return answer;
  }

  set(key: string, answer: StoredAnswer): void {
    this.entries.set(key, answer);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}
