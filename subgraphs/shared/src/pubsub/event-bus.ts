import { PubSub, type PubSubEngine } from 'graphql-subscriptions';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/**
 * Events between services: a change committed by any replica of a subgraph reaches the
 * subscriptions held by any instance. Topics are plain strings (`<domain>.<event>.<scope>`,
 * e.g. `audit.entry.<organization id>`); payloads are JSON.
 */
export interface EventBus {
  publish(topic: string, payload: unknown): Promise<void>;
  /** Events of a topic from now on; `return()` on the iterator unsubscribes. */
  subscribe<T>(topic: string): AsyncIterableIterator<T>;
  close(): Promise<void>;
}

class EngineEventBus implements EventBus {
  constructor(
    private readonly engine: PubSubEngine & { close?(): Promise<unknown> },
    private readonly prefix: string,
  ) {}

  publish(topic: string, payload: unknown): Promise<void> {
    return this.engine.publish(this.prefix + topic, payload);
  }

  subscribe<T>(topic: string): AsyncIterableIterator<T> {
    return this.engine.asyncIterableIterator<T>(this.prefix + topic) as AsyncIterableIterator<T>;
  }

  async close(): Promise<void> {
    await this.engine.close?.();
  }
}

/**
 * Redis pub/sub (graphql-redis-subscriptions) when configured: two connections, because a
 * connection that subscribes can no longer publish. Otherwise in-memory, for the embedded
 * mode, where every service shares one process and so one bus.
 *
 * `channelPrefix` is required, deliberately without a default: two deployments (or test
 * runs) sharing a Redis must never hear each other's events.
 */
export function createEventBus(options: {
  redisUrl: string | undefined;
  channelPrefix: string;
  logger: Logger;
}): EventBus {
  if (!options.redisUrl) return new EngineEventBus(new PubSub(), options.channelPrefix);
  const connect = (role: string) => {
    // Unlike request-time commands, pub/sub must survive outages: queue while reconnecting
    // and resubscribe afterwards (ioredis does both by default).
    const redis = new Redis(options.redisUrl!, { connectionName: `tnx-events-${role}`, maxRetriesPerRequest: null });
    redis.on('error', (error: Error) => options.logger.warn({ err: error, role }, 'event bus connection error'));
    return redis;
  };
  return new EngineEventBus(
    new RedisPubSub({ publisher: connect('publisher'), subscriber: connect('subscriber') }),
    options.channelPrefix,
  );
}
