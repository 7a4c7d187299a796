import type { SubscriptionResult, SubscriptionSink } from './websocket-subscriptions.ts';

/** `pageEvents` as a live editor selects it: every field of an operation, author included. */
export const pageEventsSubscription = `subscription ($pageId: ID!, $afterVersion: Int) {
  pageEvents(pageId: $pageId, afterVersion: $afterVersion) {
    __typename
    ... on PageOperation {
      pageId version baseVersion operation submissionId createdAt
      author { id displayName }
    }
  }
}`;

/** An operation as `pageEventsSubscription` receives it. */
export interface ReceivedOperation {
  version: number;
  submissionId: string | null;
  author: { id: string; displayName: string } | null;
}

/**
 * Checks, for each of `count` page subscribers, what the API promises: operations in
 * version order, gap-free and once each, each with its author. It keeps counters, not
 * events, so that what it holds does not grow with the run (its memory is measured too).
 */
export class PageEventTally implements SubscriptionSink {
  /** The last version each subscriber received (0: none yet). */
  private readonly lastVersion: Int32Array;
  /** When each subscriber received its first operation (NaN: not yet). */
  private readonly firstAt: Float64Array;
  private readonly hasEnded: Uint8Array;
  /** Subscribers that have received an operation. */
  ready = 0;
  /** Subscribers whose subscription ended (refused, dropped, completed) before the run closed it. */
  ended = 0;
  /** Versions a subscriber never received although it received a later one. */
  skippedVersions = 0;
  /** Operations at or below a version the subscriber already had: repeated or out of order. */
  repeated = 0;
  /** Results that carried errors (an author identity could not complete, a refusal). */
  withErrors = 0;
  /** Operations whose author came back null. */
  withoutAuthor = 0;
  /** What went wrong, by message, with how often. */
  readonly problems = new Map<string, number>();
  /** Hears each operation that moved a subscriber forward, as it arrives. */
  onOperation: ((index: number, operation: ReceivedOperation, arrivedAt: number) => void) | undefined;

  constructor(readonly count: number) {
    this.lastVersion = new Int32Array(count);
    this.firstAt = new Float64Array(count).fill(Number.NaN);
    this.hasEnded = new Uint8Array(count);
  }

  next(index: number, result: SubscriptionResult, arrivedAt: number): void {
    if (result.errors?.length) {
      this.withErrors++;
      for (const error of result.errors) this.note(error.message);
    }
    const event = (result.data as { pageEvents?: { __typename: string } & ReceivedOperation } | null | undefined)
      ?.pageEvents;
    if (event?.__typename !== 'PageOperation') return;
    if (!event.author) this.withoutAuthor++;
    const last = this.lastVersion[index]!;
    if (last !== 0 && event.version <= last) {
      this.repeated++;
      return;
    }
    if (last === 0) {
      this.firstAt[index] = arrivedAt;
      this.ready++;
    } else {
      this.skippedVersions += event.version - last - 1;
    }
    this.lastVersion[index] = event.version;
    this.onOperation?.(index, event, arrivedAt);
  }

  end(index: number, error: unknown): void {
    if (this.hasEnded[index]) return;
    this.hasEnded[index] = 1;
    this.ended++;
    this.note(error === undefined ? 'completed by the server' : describeEnd(error));
  }

  /** Subscribers done waiting for `version`: they have it (or a later one), or have ended. */
  settled(version: number): number {
    let settled = 0;
    for (let index = 0; index < this.count; index++) {
      if (this.hasEnded[index] || this.lastVersion[index]! >= version) settled++;
    }
    return settled;
  }

  /** Subscribers that have received `version` or a later one. */
  reached(version: number): number {
    let reached = 0;
    for (let index = 0; index < this.count; index++) if (this.lastVersion[index]! >= version) reached++;
    return reached;
  }

  /** When the last subscriber received its first operation (NaN until all have one). */
  lastFirstArrival(): number {
    return this.ready === this.count ? Math.max(...this.firstAt) : Number.NaN;
  }

  private note(message: string): void {
    this.problems.set(message, (this.problems.get(message) ?? 0) + 1);
  }
}

/** graphql-ws ends a subscription with a list of GraphQL errors, a close event or an Error. */
function describeEnd(error: unknown): string {
  if (Array.isArray(error)) return error.map((item: { message?: string }) => item.message ?? String(item)).join('; ');
  if (error && typeof error === 'object' && 'code' in error) {
    const { code, reason } = error as { code: number; reason?: string };
    return `connection closed (${code}${reason ? ` ${reason}` : ''})`;
  }
  return error instanceof Error ? error.message : String(error);
}
