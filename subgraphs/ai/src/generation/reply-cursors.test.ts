import { describe, expect, test } from 'vitest';
import type { StreamEventModel } from '../models.ts';
import { ReplyCursors } from './reply-cursors.ts';

const text = 'The quick brown fox jumps over the lazy dog.';
const piece = (offset: number, length: number, messageId = 'm1'): StreamEventModel => ({
  messageId,
  offset,
  delta: text.slice(offset, offset + length),
  final: false,
});
const catchUp = (upTo: number, messageId = 'm1'): StreamEventModel => ({ messageId, offset: 0, delta: text.slice(0, upTo), final: false });
const final = (messageId = 'm1', length = text.length): StreamEventModel => ({ messageId, offset: length, delta: '', final: true });

/** Feeds events, returning the text the subscriber saw and whether every piece came in order. */
function play(cursors: ReplyCursors, events: StreamEventModel[]) {
  const emitted: StreamEventModel[] = [];
  const readStored: string[] = [];
  for (const event of events) {
    const outcome = cursors.accept(event);
    emitted.push(...outcome.emit);
    if (outcome.readStored) readStored.push(outcome.readStored);
  }
  const positions = new Map<string, number>();
  for (const event of emitted.filter((e) => !e.final)) {
    expect(event.offset).toBe(positions.get(event.messageId) ?? event.offset);
    positions.set(event.messageId, event.offset + event.delta.length);
  }
  return { text: emitted.filter((e) => !e.final).map((e) => e.delta).join(''), emitted, readStored };
}

describe('a subscriber of a conversation', () => {
  test('gets a reply that starts after it subscribed as its deltas come', () => {
    const seen = play(new ReplyCursors(), [piece(0, 10), piece(10, 10), piece(20, 24), final()]);
    expect(seen.text).toBe(text);
    expect(seen.emitted.at(-1)).toEqual(final());
  });

  test('who came mid-reply waits for the catch-up, then has every character once', () => {
    const cursors = new ReplyCursors();
    cursors.follow('m1', 0);
    // Live deltas published after it subscribed, before the writer's answer; the answer
    // holds the text up to 15, overlapping the first of them.
    const seen = play(cursors, [piece(10, 10), piece(20, 5), catchUp(15), piece(25, 19), final()]);
    expect(seen.text).toBe(text);
    expect(cursors.awaitingCatchUp()).toEqual([]);
  });

  test('who resumes at an offset gets only what follows it', () => {
    const cursors = new ReplyCursors();
    cursors.follow('m1', 12);
    const seen = play(cursors, [catchUp(20), piece(20, 24), final()]);
    expect(seen.emitted[0]).toMatchObject({ offset: 12, delta: text.slice(12, 20) });
    expect(seen.emitted.filter((e) => !e.final).map((e) => e.delta).join('')).toBe(text.slice(12));
  });

  test('asks for the stored text when a reply ends before the catch-up came, then finishes from it', () => {
    const cursors = new ReplyCursors();
    cursors.follow('m1', 0);
    const seen = play(cursors, [piece(30, 14), final()]);
    expect(seen.emitted).toEqual([]);
    expect(seen.readStored).toEqual(['m1']);
    const rest = cursors.finish('m1', text);
    expect(rest).toEqual([{ messageId: 'm1', offset: 0, delta: text, final: false }, final()]);
    expect(play(cursors, [final(), catchUp(44)]).emitted).toEqual([]);
  });

  test('a reply first seen mid-way asks for its beginning and holds its pieces until it comes', () => {
    const cursors = new ReplyCursors();
    const outcome = cursors.accept(piece(5, 5));
    expect(outcome).toEqual({ emit: [], missedStart: 'm1' });
    const seen = play(cursors, [catchUp(7), piece(10, 34), final()]);
    expect(seen.text).toBe(text);
  });

  test('a catch-up another subscriber asked for changes nothing for one who has it all', () => {
    const seen = play(new ReplyCursors(), [piece(0, 20), catchUp(20), catchUp(10), piece(20, 24), final()]);
    expect(seen.text).toBe(text);
    expect(seen.emitted).toHaveLength(3);
  });

  test('replies of one conversation are kept apart', () => {
    const cursors = new ReplyCursors();
    cursors.follow('a', 0);
    const seen = play(cursors, [piece(0, 4, 'b'), piece(10, 4, 'a'), catchUp(10, 'a'), piece(4, 40, 'b')]);
    expect(seen.emitted.filter((e) => e.messageId === 'b').map((e) => e.delta).join('')).toBe(text);
    expect(seen.emitted.filter((e) => e.messageId === 'a').map((e) => e.delta).join('')).toBe(text.slice(0, 14));
  });

  test('a reply that ended before the subscription is sent whole, from where the subscriber is', () => {
    const cursors = new ReplyCursors();
    expect(cursors.finish('m1', text, 40)).toEqual([{ messageId: 'm1', offset: 40, delta: text.slice(40), final: false }, final()]);
  });
});
