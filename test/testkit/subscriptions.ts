import { createClient as createSseClient } from 'graphql-sse';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export interface Received {
  data?: Record<string, any> | null;
  errors?: { message: string; extensions?: Record<string, any> }[];
}

/** A live subscription a test can read events from, one at a time. */
export interface Subscription {
  /** The next event, or throws after `timeoutMs`. */
  next(timeoutMs?: number): Promise<Received>;
  /** Resolves with the event count once the server completes the subscription. */
  completed(timeoutMs?: number): Promise<void>;
  /** Events received so far and not yet taken with next(). */
  pending(): Received[];
  unsubscribe(): void;
}

function collector(): {
  push(event: Received): void;
  complete(error?: unknown): void;
  subscription(unsubscribe: () => void): Subscription;
} {
  const events: Received[] = [];
  const waiters: ((event: Received) => void)[] = [];
  let done = false;
  let doneWaiters: (() => void)[] = [];
  return {
    push(event) {
      const waiter = waiters.shift();
      if (waiter) waiter(event);
      else events.push(event);
    },
    complete() {
      done = true;
      for (const waiter of doneWaiters) waiter();
      doneWaiters = [];
    },
    subscription(unsubscribe) {
      return {
        next: (timeoutMs = 5_000) =>
          new Promise<Received>((resolve, reject) => {
            const ready = events.shift();
            if (ready) return resolve(ready);
            const waiter = (event: Received) => {
              clearTimeout(timer);
              resolve(event);
            };
            // A waiter that timed out leaves: the next event is for the next caller, not lost to it.
            const timer = setTimeout(() => {
              waiters.splice(waiters.indexOf(waiter), 1);
              reject(new Error('no event arrived'));
            }, timeoutMs);
            waiters.push(waiter);
          }),
        completed: (timeoutMs = 5_000) =>
          new Promise<void>((resolve, reject) => {
            if (done) return resolve();
            const timer = setTimeout(() => reject(new Error('the subscription did not complete')), timeoutMs);
            doneWaiters.push(() => {
              clearTimeout(timer);
              resolve();
            });
          }),
        pending: () => [...events],
        unsubscribe,
      };
    },
  };
}

/** A graphql-ws client of the gateway, as a live editor would open one. */
export function webSocketClient(
  graphqlUrl: string,
  options: { token?: string; ip?: string; onClose?: (code: number, reason: string) => void } = {},
): Client {
  const url = graphqlUrl.replace(/^http/, 'ws');
  return createClient({
    url,
    webSocketImpl: class extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, { headers: options.ip ? { 'x-forwarded-for': options.ip } : {} });
      }
    },
    connectionParams: options.token ? { authorization: `Bearer ${options.token}` } : {},
    retryAttempts: 0,
    lazy: true,
    on: { closed: (event) => options.onClose?.((event as { code: number }).code, (event as { reason: string }).reason) },
  });
}

/** Subscribes with a graphql-ws client and collects what arrives. */
export async function subscribeOverWebSocket(
  client: Client,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<Subscription> {
  const events = collector();
  const unsubscribe = client.subscribe(
    { query, variables },
    {
      next: (event) => events.push(event as Received),
      error: (error) => {
        // graphql-ws reports a refused subscription as the list of its GraphQL errors.
        events.push({ errors: Array.isArray(error) ? error : [{ message: String((error as Error)?.message ?? error) }] });
        events.complete();
      },
      complete: () => events.complete(),
    },
  );
  // Give the server a moment to open the stream to the subgraph before the test acts.
  await new Promise((resolve) => setTimeout(resolve, 300));
  return events.subscription(unsubscribe);
}

/** Subscribes over Server-Sent Events (graphql-sse) and collects what arrives. */
export async function subscribeOverSse(
  graphqlUrl: string,
  query: string,
  variables: Record<string, unknown>,
  options: { token?: string } = {},
): Promise<Subscription> {
  const client = createSseClient({
    url: `${graphqlUrl}/stream`,
    retryAttempts: 0,
    headers: options.token ? { authorization: `Bearer ${options.token}` } : {},
  });
  const events = collector();
  const unsubscribe = client.subscribe(
    { query, variables },
    {
      next: (event) => events.push(event as Received),
      error: (error) => {
        events.push({ errors: Array.isArray(error) ? error : [{ message: String(error) }] });
        events.complete();
      },
      complete: () => events.complete(),
    },
  );
  await new Promise((resolve) => setTimeout(resolve, 300));
  return events.subscription(() => {
    unsubscribe();
    client.dispose();
  });
}
