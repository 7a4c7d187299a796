import { createHash } from 'node:crypto';
import type { Actor } from '@token-nexus/shared';
import type { FormattedExecutionResult } from 'graphql';
import { LRUCache } from 'lru-cache';
import { uncountedSubscriptions, type SubscriptionMetrics } from './subscription-metrics.ts';

export interface SharedCompletionsOptions {
  /** Distinct (subscription, event) completions kept at once. */
  max: number;
  /** How long a completion is handed to further subscribers after it started, in ms. */
  ttlMs: number;
}

/** Defaults: an event reaches a page's subscribers within a few hundred ms of each other. */
export const sharedCompletionDefaults: SharedCompletionsOptions = { max: 5_000, ttlMs: 2_000 };

/**
 * One completion per event for every subscriber that would see the same thing: an event
 * published to a page reaches each of its subscribers through their own stream, but
 * subscribers with the same operation, variables and visibility (the same actor) get
 * byte-for-byte the same completed result, so the first one to ask completes it (entity
 * fetches through the query plan) and the others take its promise. What an edit costs
 * then grows with the distinct subscriptions, not with the sockets.
 *
 * Visibility is the whole actor (a user, a program with its credential and scopes, or
 * anonymous): two users never share a completion, even if their roles are equal, since a
 * subgraph may show each something of their own. A completion is kept briefly (`ttlMs`,
 * a bounded LRU), long enough for one event's fan-out, never as a cache of data.
 */
export class SharedCompletions {
  private readonly completions: LRUCache<string, Promise<FormattedExecutionResult>>;
  /** Events shared by a stream's members are one object: each is hashed once. */
  private readonly digests = new WeakMap<object, string>();

  constructor(
    options: SharedCompletionsOptions = sharedCompletionDefaults,
    private readonly metrics: Pick<SubscriptionMetrics, 'completion'> = uncountedSubscriptions,
  ) {
    this.completions = new LRUCache({ max: options.max, ttl: options.ttlMs, ttlAutopurge: false });
  }

  /** The key of one subscription's audience: its operation, variables and actor. */
  static audience(options: { query: string; operationName: string | null | undefined; variables: Record<string, unknown>; actor: Actor }): string {
    return createHash('sha256')
      .update(options.operationName ?? '')
      .update('\n')
      .update(options.query)
      .update('\n')
      .update(JSON.stringify(options.variables))
      .update('\n')
      .update(JSON.stringify(options.actor))
      .digest('base64url');
  }

  private digestOf(event: unknown): string {
    const known = typeof event === 'object' && event !== null ? this.digests.get(event) : undefined;
    if (known) return known;
    const digest = createHash('sha256').update(JSON.stringify(event)).digest('base64url');
    if (typeof event === 'object' && event !== null) this.digests.set(event, digest);
    return digest;
  }

  /**
   * The completed result of `event` for `audience`: made by `complete` the first time,
   * shared afterwards. A failed completion is not kept, so the next subscriber tries again.
   */
  complete(audience: string, event: unknown, complete: () => Promise<FormattedExecutionResult>): Promise<FormattedExecutionResult> {
    const key = `${audience}:${this.digestOf(event)}`;
    const known = this.completions.get(key);
    if (known) {
      this.metrics.completion('shared');
      return known;
    }
    const made = complete();
    this.metrics.completion('completed');
    this.completions.set(key, made);
    made.catch(() => {
      if (this.completions.get(key) === made) this.completions.delete(key);
    });
    return made;
  }
}
