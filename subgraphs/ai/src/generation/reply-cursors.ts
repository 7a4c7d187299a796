import type { StreamEventModel } from '../models.ts';

/** What to do with one event that reached a subscriber. */
export interface CursorOutcome {
  /** Events to pass on to the subscriber, in order. */
  emit: StreamEventModel[];
  /**
   * The reply ended while the subscriber still lacks part of its text (it missed the
   * writer's catch-up): read the stored message and `finish` with it.
   */
  readStored?: string;
  /** A reply first seen mid-way, after the subscription began: ask its writer for its beginning. */
  missedStart?: string;
}

interface Cursor {
  /** Characters of the reply's text the subscriber has. */
  position: number;
  /** Pieces that start past `position`, waiting for what comes before them. */
  pending: Map<number, string>;
  /** Whether the subscriber may lack the reply's beginning (it started before they came). */
  awaitingCatchUp: boolean;
}

/**
 * A subscriber's view of the replies of one conversation: for each, how much of its text
 * the subscriber has. Every piece is placed by its offset, so whatever order pieces come
 * in (live deltas, the writer's catch-up, both overlapping) the subscriber gets each
 * character exactly once and in order: a piece it partly has is trimmed, a piece past a
 * gap waits until the gap is filled.
 */
export class ReplyCursors {
  private readonly cursors = new Map<string, Cursor>();
  private readonly finished = new Set<string>();

  /**
   * Follows a reply that was being written before the subscription began: its text up to
   * `position` is already the subscriber's, the rest comes from the writer's catch-up.
   */
  follow(messageId: string, position: number): void {
    this.cursors.set(messageId, { position, pending: new Map(), awaitingCatchUp: true });
  }

  /** The replies whose beginning the writer has not yet sent (ask it again). */
  awaitingCatchUp(): string[] {
    return [...this.cursors].filter(([, cursor]) => cursor.awaitingCatchUp).map(([id]) => id);
  }

  accept(event: StreamEventModel): CursorOutcome {
    if (this.finished.has(event.messageId)) return { emit: [] };
    const known = this.cursors.has(event.messageId);
    const cursor = this.cursorOf(event);
    if (!known && cursor.awaitingCatchUp) {
      cursor.pending.set(event.offset, event.delta);
      return { emit: [], missedStart: event.messageId };
    }
    if (event.final) {
      if (cursor.position < event.offset) return { emit: [], readStored: event.messageId };
      return { emit: [this.end(event.messageId, cursor.position)] };
    }
    if (event.offset === 0) cursor.awaitingCatchUp = false;
    if (event.offset > cursor.position) {
      cursor.pending.set(event.offset, event.delta);
      return { emit: [] };
    }
    const emit: StreamEventModel[] = [];
    this.take(event.messageId, cursor, event.offset, event.delta, emit);
    this.drain(event.messageId, cursor, emit);
    return { emit };
  }

  /**
   * Ends a reply from its stored text (after `readStored`): what the subscriber lacks of
   * it, then the final event. Also for a reply that had ended before the subscription.
   */
  finish(messageId: string, storedText: string, position?: number): StreamEventModel[] {
    if (this.finished.has(messageId)) return [];
    const from = position ?? this.cursors.get(messageId)?.position ?? 0;
    const emit: StreamEventModel[] = [];
    if (storedText.length > from) emit.push({ messageId, offset: from, delta: storedText.slice(from), final: false });
    emit.push(this.end(messageId, Math.max(from, storedText.length)));
    return emit;
  }

  private cursorOf(event: StreamEventModel): Cursor {
    let cursor = this.cursors.get(event.messageId);
    if (!cursor) {
      // A reply that began after the subscription: its first delta is at 0. One whose
      // first event seen is further on was missed at the start: ask for its beginning.
      cursor = { position: 0, pending: new Map(), awaitingCatchUp: event.offset > 0 && !event.final };
      this.cursors.set(event.messageId, cursor);
    }
    return cursor;
  }

  private take(messageId: string, cursor: Cursor, offset: number, delta: string, emit: StreamEventModel[]): void {
    const end = offset + delta.length;
    if (end <= cursor.position) return;
    emit.push({ messageId, offset: cursor.position, delta: delta.slice(cursor.position - offset), final: false });
    cursor.position = end;
  }

  private drain(messageId: string, cursor: Cursor, emit: StreamEventModel[]): void {
    for (let progressed = true; progressed; ) {
      progressed = false;
      for (const [offset, delta] of cursor.pending) {
        if (offset > cursor.position) continue;
        cursor.pending.delete(offset);
        this.take(messageId, cursor, offset, delta, emit);
        progressed = true;
      }
    }
  }

  private end(messageId: string, length: number): StreamEventModel {
    this.cursors.delete(messageId);
    this.finished.add(messageId);
    return { messageId, offset: length, delta: '', final: true };
  }
}
