import { PubSub, type PubSubEngine } from 'graphql-subscriptions';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/** Events of one topic, as they arrive; `return()` unsubscribes. */
export interface TopicSubscription<T> extends AsyncIterableIterator<T> {
  /**
   * Resolves once the bus delivers this topic's events to the subscription (for Redis,
   * once SUBSCRIBE is acknowledged). Whatever is read from storage after it cannot miss
   * an event published after the read: the way to catch up without a gap.
   */
  ready: Promise<void>;
}

/**
 * Events between services: a change committed by any replica of a subgraph reaches the
 * subscriptions held by any instance. Topics are plain strings (`<domain>.<event>.<scope>`,
 * e.g. `audit.entry.<organization id>`); payloads are JSON.
 */
export interface EventBus {
  publish(topic: string, payload: unknown): Promise<void>;
  /** Events of a topic from now on (see `ready`). */
  subscribe<T>(topic: string): TopicSubscription<T>;
  close(): Promise<void>;
}

/**
 * Events a subscription may hold for a reader that does not take them. A subgraph's reader
 * is the stream to the gateway, which reads as fast as the network allows, so this is
 * only reached when that stream is stuck; the subscription then fails rather than grow.
 */
const maxWaitingEvents = 1_000;

export class SubscriberTooSlowError extends Error {
  constructor() {
    super(`more than ${maxWaitingEvents} events waiting for a subscriber`);
  }
}

class EngineEventBus implements EventBus {
  constructor(
    private readonly engine: PubSubEngine,
    private readonly prefix: string,
    private readonly closeConnections: () => Promise<void> = async () => {},
  ) {}

  publish(topic: string, payload: unknown): Promise<void> {
    return this.engine.publish(this.prefix + topic, payload);
  }

  subscribe<T>(topic: string): TopicSubscription<T> {
    const waiting: T[] = [];
    const readers: ((result: IteratorResult<T>) => void)[] = [];
    let failure: Error | undefined;
    let ended = false;
    const finish = (error?: Error) => {
      failure ??= error;
      ended = true;
      if (error) waiting.length = 0;
      for (const reader of readers.splice(0)) reader({ done: true, value: undefined });
    };
    const subscribed = this.engine.subscribe(this.prefix + topic, (payload: T) => {
      if (ended) return;
      const reader = readers.shift();
      if (reader) return reader({ done: false, value: payload });
      if (waiting.length >= maxWaitingEvents) return finish(new SubscriberTooSlowError());
      waiting.push(payload);
    }, {});
    // Not awaited by return(): while Redis is unreachable the SUBSCRIBE may never be
    // acknowledged, and leaving must not wait for it (it unsubscribes once it is).
    const unsubscribe = () => {
      subscribed.then((id) => this.engine.unsubscribe(id)).catch(() => undefined);
    };
    const subscription: TopicSubscription<T> = {
      ready: subscribed.then(() => undefined),
      next: async () => {
        if (waiting.length > 0) return { done: false, value: waiting.shift()! };
        if (failure) throw failure;
        if (ended) return { done: true, value: undefined };
        return new Promise<IteratorResult<T>>((resolve) => readers.push(resolve));
      },
      return: async () => {
        if (!ended) finish();
        unsubscribe();
        return { done: true, value: undefined };
      },
      throw: async (error: unknown) => {
        finish();
        unsubscribe();
        throw error;
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
    // A failed SUBSCRIBE ends the subscription with its error, rather than leaving it silent.
    subscribed.catch((error: Error) => finish(error));
    return subscription;
  }

  close(): Promise<void> {
    return this.closeConnections();
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
  const publisher = connect('publisher');
  const subscriber = connect('subscriber');
  return new EngineEventBus(new RedisPubSub({ publisher, subscriber }), options.channelPrefix, async () => {
    // QUIT lets published events leave first; but while Redis is unreachable it would
    // wait forever behind queued commands, so a shutdown gives it two seconds.
    const quit = Promise.all([publisher.quit(), subscriber.quit()]).catch(() => undefined);
    await Promise.race([quit, new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
    publisher.disconnect();
    subscriber.disconnect();
  });
}
