import type { ExecutionResult } from 'graphql';
import type { BoundedQueue } from './bounded-queue.ts';
import { uncountedSubscriptions, type SubscriptionMetrics } from './subscription-metrics.ts';

type Source = AsyncIterableIterator<ExecutionResult>;

interface Upstream {
  source: Source;
  members: Set<BoundedQueue<ExecutionResult>>;
  /** Whether an event has come through: from then on nobody joins (see below). */
  received: boolean;
  pump: Promise<void>;
}

/**
 * One stream to the owning subgraph for subscribers of one audience (operation,
 * variables, actor) who subscribe while it has sent nothing yet: what the subgraph would
 * send each of them from then on is the same, so they share it and each gets every event
 * in their own bounded queue (a slow one overflows alone).
 *
 * Once an event has come through, the stream is closed to newcomers: a subscription's
 * first events may be a catch-up of what happened before it (`pageEvents(afterVersion)`,
 * an AI reply so far), which a newcomer must get from a stream of its own rather than
 * see again or miss. A burst of subscribers (a page opened by many, clients reconnecting
 * after a deploy) therefore shares one stream, and later ones start the next.
 */
export class SharedUpstreams {
  private readonly joinable = new Map<string, Upstream>();

  constructor(private readonly metrics: Pick<SubscriptionMetrics, 'upstream'> = uncountedSubscriptions) {}

  /**
   * Feeds `queue` from the audience's joinable stream, or from one `open` starts. Returns
   * how to leave: the stream closes when its last member leaves.
   */
  join(audience: string, open: () => Source, queue: BoundedQueue<ExecutionResult>): () => Promise<void> {
    let upstream = this.joinable.get(audience);
    if (upstream) {
      this.metrics.upstream('joined');
    } else {
      upstream = this.start(audience, open());
      this.metrics.upstream('opened');
    }
    upstream.members.add(queue);
    const joined = upstream;
    return async () => {
      joined.members.delete(queue);
      if (joined.members.size > 0) return;
      this.forget(audience, joined);
      await joined.source.return?.();
      await joined.pump;
    };
  }

  private start(audience: string, source: Source): Upstream {
    const upstream: Upstream = { source, members: new Set(), received: false, pump: Promise.resolve() };
    this.joinable.set(audience, upstream);
    upstream.pump = (async () => {
      try {
        for await (const event of source) {
          if (!upstream.received) {
            upstream.received = true;
            this.forget(audience, upstream);
          }
          for (const member of upstream.members) member.push(event);
        }
        for (const member of upstream.members) member.end();
      } catch (error) {
        for (const member of upstream.members) member.fail(error as Error);
      } finally {
        this.forget(audience, upstream);
      }
    })();
    return upstream;
  }

  private forget(audience: string, upstream: Upstream): void {
    if (this.joinable.get(audience) === upstream) this.joinable.delete(audience);
  }
}
