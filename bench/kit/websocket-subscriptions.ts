import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';

/** One result of a subscription, as graphql-ws hands it over. */
export type SubscriptionResult = FormattedExecutionResult<Record<string, unknown>, unknown>;

/** How many subscriptions the gateway lets one WebSocket, and one user, hold. */
export interface SubscriptionLimits {
  perConnection: number;
  perUser: number;
}

/** Where each subscription goes: receives what arrives for the `index`th subscription. */
export interface SubscriptionSink {
  /** A result, and when it arrived (`performance.now()`, taken first thing). */
  next(index: number, result: SubscriptionResult, arrivedAt: number): void;
  /**
   * The subscription ended before `close()`: completed by the server (`error` undefined)
   * or failed (a refusal, a closed connection).
   */
  end(index: number, error: unknown): void;
}

export interface OpenedSubscriptions {
  count: number;
  connections: number;
  users: number;
  /** Stops opening, closes every connection and with it every subscription; the sink hears no more. */
  close(): Promise<void>;
}

/**
 * Opens `count` graphql-ws subscriptions to `query` on the gateway's endpoint, packed as
 * tightly as `limits` allow: `perConnection` on each WebSocket, and as many WebSockets
 * per user as fit in `perUser`, users taken in order from `tokens` (see `usersFor`).
 * Each connection authenticates with `connection_init`, as a browser would.
 *
 * The gateway gives no sign that a subscription is in place, so a subscription counts as
 * set up at its first result (or its end): use a subscription that answers at once, such
 * as one that replays from a version. At most `settingUp` subscriptions wait for that at
 * once, a whole connection's worth at a time, as clients reconnecting with jitter would
 * arrive; `Infinity` opens every connection at once, as a burst.
 */
export function openSubscriptions(options: {
  graphqlUrl: string;
  /** Access tokens, one per user; at least `usersFor(count, limits)` of them. */
  tokens: readonly string[];
  count: number;
  limits: SubscriptionLimits;
  settingUp: number;
  query: string;
  variables: Record<string, unknown>;
  sink: SubscriptionSink;
}): OpenedSubscriptions {
  const { count, limits, sink } = options;
  const layout = packing(limits);
  const users = usersFor(count, limits);
  if (options.tokens.length < users) {
    throw new Error(`${count} subscriptions need ${users} users; ${options.tokens.length} given`);
  }
  const url = options.graphqlUrl.replace(/^http/, 'ws');
  const clients: Client[] = [];
  let closing = false;
  const setUp = new Uint8Array(count);
  let waiting = 0;
  let unsettled = count;
  let wake: (() => void) | undefined;
  const sleepUntilWoken = () => new Promise<void>((resolve) => (wake = resolve));
  const settle = (index: number) => {
    if (setUp[index]) return;
    setUp[index] = 1;
    waiting--;
    unsettled--;
    wake?.();
  };

  const openConnection = (first: number, size: number) => {
    const token = options.tokens[Math.floor(clients.length / layout.connectionsPerUser)]!;
    const client = createClient({
      url,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      // One attempt: a reconnect would hide a dropped connection, which the run must see.
      retryAttempts: 0,
    });
    clients.push(client);
    for (let index = first; index < first + size; index++) {
      client.subscribe(
        { query: options.query, variables: options.variables },
        {
          next: (result) => {
            const arrivedAt = performance.now();
            if (closing) return;
            settle(index);
            sink.next(index, result, arrivedAt);
          },
          error: (error) => {
            if (closing) return;
            settle(index);
            sink.end(index, error);
          },
          complete: () => {
            if (closing) return;
            settle(index);
            sink.end(index, undefined);
          },
        },
      );
    }
  };

  // Opens connection after connection; done once every subscription is set up (or closing).
  const opening = (async () => {
    for (let first = 0; first < count && !closing; first += layout.perConnection) {
      const size = Math.min(layout.perConnection, count - first);
      // A first connection always opens, even when it alone holds more than `settingUp`.
      while (!closing && waiting > 0 && waiting + size > options.settingUp) await sleepUntilWoken();
      if (closing) return;
      waiting += size;
      openConnection(first, size);
    }
    while (!closing && unsettled > 0) await sleepUntilWoken();
  })();

  return {
    count,
    connections: Math.ceil(count / layout.perConnection),
    users,
    close: async () => {
      closing = true;
      wake?.();
      await opening;
      await Promise.all(clients.map((client) => client.dispose()));
    },
  };
}

/** How many users `count` subscriptions take when packed as `limits` allow. */
export function usersFor(count: number, limits: SubscriptionLimits): number {
  const { perConnection, connectionsPerUser } = packing(limits);
  return Math.ceil(count / (perConnection * connectionsPerUser));
}

function packing(limits: SubscriptionLimits): { perConnection: number; connectionsPerUser: number } {
  const perConnection = Math.min(limits.perConnection, limits.perUser);
  return { perConnection, connectionsPerUser: Math.floor(limits.perUser / perConnection) };
}
