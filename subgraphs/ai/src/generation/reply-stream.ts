import type { PrismaClient } from '@token-nexus/prisma';
import type { EventBus, TopicSubscription } from '@token-nexus/shared';
import type { StreamEventModel } from '../models.ts';
import { ReplyCursors } from './reply-cursors.ts';
import { catchUpTopic, replyStreamTopic, type CatchUpRequest } from './stream-topics.ts';

/** How often a subscriber asks again for a beginning that has not come (a lost request, a busy writer). */
const catchUpRetryMs = 2_000;

export interface ReplyStreamOptions {
  prisma: PrismaClient;
  events: EventBus;
  conversationId: string;
  /** A reply the subscriber follows, and how many characters of it they already have. */
  follow: { messageId: string; offset: number } | null;
}

/**
 * `aiMessageStream` for one subscriber: the conversation's live deltas, preceded, for
 * every reply already being written when the subscriber came, by its text so far (asked
 * of the replica writing it), with no gap and no duplicate (see ReplyCursors). A followed
 * reply that has already ended is sent whole from storage, then its final event.
 *
 * Subscribes before it reads, so nothing published after the read is missed. A plain
 * iterator (like guardedStream) so that `return()` ends a pending `next()` at once.
 */
export function replyStream(options: ReplyStreamOptions): AsyncIterableIterator<StreamEventModel> {
  return new ReplyStream(options);
}

class ReplyStream implements AsyncIterableIterator<StreamEventModel> {
  private readonly live: TopicSubscription<StreamEventModel>;
  private readonly cursors = new ReplyCursors();
  private readonly out: StreamEventModel[] = [];
  private readonly started: Promise<void>;
  private waiting: Promise<IteratorResult<StreamEventModel>> | undefined;
  private ended = false;

  constructor(private readonly options: ReplyStreamOptions) {
    this.live = options.events.subscribe<StreamEventModel>(replyStreamTopic(options.conversationId));
    this.started = this.start();
    // A failure surfaces on the first next(); until then it must not be unhandled.
    this.started.catch(() => undefined);
  }

  async next(): Promise<IteratorResult<StreamEventModel>> {
    await this.started;
    for (;;) {
      const ready = this.out.shift();
      if (ready) return { done: false, value: ready };
      if (this.ended) return { done: true, value: undefined };
      const result = await this.nextLiveEvent();
      if (result === 'retry') await this.requestCatchUps();
      else if (result.done) this.ended = true;
      else await this.accept(result.value);
    }
  }

  async return(): Promise<IteratorReturnResult<undefined>> {
    this.ended = true;
    await this.live.return?.();
    return { done: true, value: undefined };
  }

  async throw(error: unknown): Promise<never> {
    await this.return();
    throw error;
  }

  [Symbol.asyncIterator]() {
    return this;
  }

  private async start(): Promise<void> {
    const { prisma, conversationId, follow } = this.options;
    await this.live.ready;
    const writing = await prisma.aIMessage.findMany({
      where: { conversationId, role: 'ASSISTANT', status: 'STREAMING' },
      select: { id: true },
    });
    for (const { id } of writing) this.cursors.follow(id, id === follow?.messageId ? follow.offset : 0);
    if (follow && !writing.some(({ id }) => id === follow.messageId)) {
      const ended = await prisma.aIMessage.findUnique({ where: { id: follow.messageId }, select: { content: true, status: true } });
      if (ended && ended.status !== 'STREAMING') this.out.push(...this.cursors.finish(follow.messageId, ended.content, follow.offset));
    }
    await this.requestCatchUps();
  }

  /** The next live event, or `retry` when a catch-up has been awaited too long. */
  private async nextLiveEvent(): Promise<IteratorResult<StreamEventModel> | 'retry'> {
    this.waiting ??= this.live.next();
    if (this.cursors.awaitingCatchUp().length === 0) return this.taken(await this.waiting);
    let timer: NodeJS.Timeout | undefined;
    const retry = new Promise<'retry'>((resolve) => (timer = setTimeout(() => resolve('retry'), catchUpRetryMs)));
    try {
      const result = await Promise.race([this.waiting, retry]);
      return result === 'retry' ? result : this.taken(result);
    } finally {
      clearTimeout(timer);
    }
  }

  private taken(result: IteratorResult<StreamEventModel>): IteratorResult<StreamEventModel> {
    this.waiting = undefined;
    return result;
  }

  private async accept(event: StreamEventModel): Promise<void> {
    const outcome = this.cursors.accept(event);
    this.out.push(...outcome.emit);
    if (outcome.readStored) {
      const stored = await this.options.prisma.aIMessage.findUnique({ where: { id: outcome.readStored }, select: { content: true } });
      this.out.push(...this.cursors.finish(outcome.readStored, stored?.content ?? ''));
    }
    if (outcome.missedStart) await this.requestCatchUp(outcome.missedStart);
  }

  private async requestCatchUps(): Promise<void> {
    await Promise.all(this.cursors.awaitingCatchUp().map((messageId) => this.requestCatchUp(messageId)));
  }

  private requestCatchUp(messageId: string): Promise<void> {
    return this.options.events.publish(catchUpTopic, { messageId } satisfies CatchUpRequest);
  }
}
