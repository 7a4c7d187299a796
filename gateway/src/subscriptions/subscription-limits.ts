import { GraphQLError } from 'graphql';
import type { Actor } from '@token-nexus/shared';

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

  constructor(private readonly limits: SubscriptionLimits) {}

  /** Takes a place, or returns why not. `connectionCount` is the connection's open ones. */
  acquire(actor: Actor, connectionCount: number): GraphQLError | null {
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

  release(actor: Actor): void {
    if (actor.type !== 'user') return;
    const count = (this.perUser.get(actor.userId) ?? 1) - 1;
    if (count <= 0) this.perUser.delete(actor.userId);
    else this.perUser.set(actor.userId, count);
  }
}

function limited(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'RATE_LIMITED' } });
}
