import { GraphQLError } from 'graphql';
import type { Actor, PlatformMetrics } from '@token-nexus/shared';

/** How a subscription reaches its client. */
export type SubscriptionTransport = 'websocket' | 'sse';

export interface SubscriptionLimits {
  perConnection: number;
  perUser: number;
}

/**
 * Counts the subscriptions open on this gateway, per connection and per user, and refuses
 * one more than allowed (RATE_LIMITED: close one, then subscribe again).
 */
export class SubscriptionCounter {
  private readonly perUser = new Map<string, number>();

  constructor(
    private readonly limits: SubscriptionLimits,
    private readonly gauge?: PlatformMetrics['activeSubscriptions'],
  ) {}

  /** Takes a place, or returns why not. `connectionCount` is the connection's open ones. */
  acquire(actor: Actor, connectionCount: number, transport: SubscriptionTransport): GraphQLError | null {
    const refusal = this.take(actor, connectionCount);
    if (!refusal) this.gauge?.inc({ transport });
    return refusal;
  }

  release(actor: Actor, transport: SubscriptionTransport): void {
    this.gauge?.dec({ transport });
    if (actor.type !== 'user') return;
    const count = (this.perUser.get(actor.userId) ?? 1) - 1;
    if (count <= 0) this.perUser.delete(actor.userId);
    else this.perUser.set(actor.userId, count);
  }

  private take(actor: Actor, connectionCount: number): GraphQLError | null {
    if (connectionCount >= this.limits.perConnection) {
      return limited(`At most ${this.limits.perConnection} subscriptions per connection.`);
    }
    if (actor.type === 'user') {
      const count = this.perUser.get(actor.userId) ?? 0;
      if (count >= this.limits.perUser) return limited(`At most ${this.limits.perUser} subscriptions per user.`);
      this.perUser.set(actor.userId, count + 1);
    }
    return null;
  }
}

function limited(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'RATE_LIMITED' } });
}
