/** Thrown to the consumer when the producer got too far ahead of it. */
export class QueueOverflowError extends Error {}

/**
 * Decouples a subscription's source (events from a subgraph) from its consumer (one
 * client). The source is read as fast as it produces, into at most `capacity` waiting
 * events; a consumer that falls further behind loses the subscription (it can subscribe
 * again and catch up) instead of making the gateway hold ever more memory for it.
 */
export class BoundedQueue<T> {
  private readonly items: T[] = [];
  private waiting: (() => void) | undefined;
  private ended = false;
  private failure: Error | undefined;

  constructor(private readonly capacity: number) {}

  push(item: T): void {
    if (this.ended) return;
    if (this.items.length >= this.capacity) {
      this.fail(new QueueOverflowError(`more than ${this.capacity} events waiting`));
      return;
    }
    this.items.push(item);
    this.wake();
  }

  end(): void {
    this.ended = true;
    this.wake();
  }

  /** Ends the queue now, dropping what waits: the consumer has gone. */
  close(): void {
    this.items.length = 0;
    this.end();
  }

  fail(error: Error): void {
    this.failure ??= error;
    this.ended = true;
    this.items.length = 0;
    this.wake();
  }

  /** Waiting events, in order; throws the failure, if any, once the queue has drained. */
  async *drain(): AsyncGenerator<T> {
    for (;;) {
      if (this.failure) throw this.failure;
      const next = this.items.shift();
      if (next !== undefined) {
        yield next;
        continue;
      }
      if (this.ended) return;
      await new Promise<void>((resolve) => {
        this.waiting = resolve;
      });
    }
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.();
  }
}
