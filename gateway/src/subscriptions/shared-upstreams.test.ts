import type { ExecutionResult } from 'graphql';
import { describe, expect, test, vi } from 'vitest';
import { BoundedQueue } from './bounded-queue.ts';
import { SharedUpstreams } from './shared-upstreams.ts';

/** A stream to a subgraph that the test feeds by hand. */
function fakeStream() {
  type Item = IteratorResult<ExecutionResult> | Error;
  const pending: { resolve: (result: IteratorResult<ExecutionResult>) => void; reject: (error: Error) => void }[] = [];
  const ready: Item[] = [];
  const settle = (item: Item) => {
    const reader = pending.shift();
    if (!reader) ready.push(item);
    else if (item instanceof Error) reader.reject(item);
    else reader.resolve(item);
  };
  const done: IteratorResult<ExecutionResult> = { done: true, value: undefined };
  return {
    next(): Promise<IteratorResult<ExecutionResult>> {
      const item = ready.shift();
      if (item instanceof Error) return Promise.reject(item);
      if (item) return Promise.resolve(item);
      return new Promise((resolve, reject) => pending.push({ resolve, reject }));
    },
    return: vi.fn(async () => {
      settle(done);
      return done;
    }),
    [Symbol.asyncIterator]() {
      return this;
    },
    emit: (data: Record<string, unknown>) => settle({ done: false, value: { data } }),
    end: () => settle(done),
    fail: (error: Error) => settle(error),
  };
}

async function take(queue: BoundedQueue<ExecutionResult>, count: number): Promise<unknown[]> {
  const taken: unknown[] = [];
  for await (const event of queue.drain()) {
    taken.push(event.data);
    if (taken.length === count) break;
  }
  return taken;
}

describe('SharedUpstreams', () => {
  test('subscribers of one audience who join before any event share one stream, and each gets every event', async () => {
    const metrics = { upstream: vi.fn() };
    const upstreams = new SharedUpstreams(metrics);
    const stream = fakeStream();
    const open = vi.fn(() => stream);
    const [a, b] = [new BoundedQueue<ExecutionResult>(10), new BoundedQueue<ExecutionResult>(10)];
    upstreams.join('audience', open, a);
    upstreams.join('audience', open, b);
    stream.emit({ n: 1 });
    stream.emit({ n: 2 });
    expect(await take(a, 2)).toEqual([{ n: 1 }, { n: 2 }]);
    expect(await take(b, 2)).toEqual([{ n: 1 }, { n: 2 }]);
    expect(open).toHaveBeenCalledTimes(1);
    expect(metrics.upstream.mock.calls).toEqual([['opened'], ['joined']]);
  });

  test('once an event has come through, a newcomer gets a stream of its own (it may start with a catch-up)', async () => {
    const upstreams = new SharedUpstreams();
    const [first, second] = [fakeStream(), fakeStream()];
    const open = vi.fn().mockReturnValueOnce(first).mockReturnValueOnce(second);
    const early = new BoundedQueue<ExecutionResult>(10);
    upstreams.join('audience', open, early);
    first.emit({ caughtUp: 'for early' });
    expect(await take(early, 1)).toEqual([{ caughtUp: 'for early' }]);
    const late = new BoundedQueue<ExecutionResult>(10);
    upstreams.join('audience', open, late);
    expect(open).toHaveBeenCalledTimes(2);
    second.emit({ caughtUp: 'for late' });
    expect(await take(late, 1)).toEqual([{ caughtUp: 'for late' }]);
  });

  test('other audiences never share a stream', () => {
    const upstreams = new SharedUpstreams();
    const open = vi.fn(() => fakeStream());
    upstreams.join('one', open, new BoundedQueue<ExecutionResult>(10));
    upstreams.join('two', open, new BoundedQueue<ExecutionResult>(10));
    expect(open).toHaveBeenCalledTimes(2);
  });

  test('the stream closes when its last member leaves, not before', async () => {
    const upstreams = new SharedUpstreams();
    const stream = fakeStream();
    const leaveA = upstreams.join('audience', () => stream, new BoundedQueue<ExecutionResult>(10));
    const b = new BoundedQueue<ExecutionResult>(10);
    const leaveB = upstreams.join('audience', () => stream, b);
    await leaveA();
    expect(stream.return).not.toHaveBeenCalled();
    stream.emit({ still: 'open' });
    expect(await take(b, 1)).toEqual([{ still: 'open' }]);
    await leaveB();
    expect(stream.return).toHaveBeenCalledTimes(1);
  });

  test("a stream's end ends every member, and its failure fails every member", async () => {
    const upstreams = new SharedUpstreams();
    const ending = fakeStream();
    const [a, b] = [new BoundedQueue<ExecutionResult>(10), new BoundedQueue<ExecutionResult>(10)];
    upstreams.join('ends', () => ending, a);
    upstreams.join('ends', () => ending, b);
    ending.end();
    expect(await take(a, 1)).toEqual([]);
    expect(await take(b, 1)).toEqual([]);

    const failing = fakeStream();
    const [c, d] = [new BoundedQueue<ExecutionResult>(10), new BoundedQueue<ExecutionResult>(10)];
    upstreams.join('fails', () => failing, c);
    upstreams.join('fails', () => failing, d);
    failing.fail(new Error('cms went away'));
    await expect(take(c, 1)).rejects.toThrow('cms went away');
    await expect(take(d, 1)).rejects.toThrow('cms went away');
  });

  test('a slow member overflows alone', async () => {
    const upstreams = new SharedUpstreams();
    const stream = fakeStream();
    const [slow, fast] = [new BoundedQueue<ExecutionResult>(1), new BoundedQueue<ExecutionResult>(10)];
    upstreams.join('audience', () => stream, slow);
    upstreams.join('audience', () => stream, fast);
    stream.emit({ n: 1 });
    stream.emit({ n: 2 });
    expect(await take(fast, 2)).toEqual([{ n: 1 }, { n: 2 }]);
    await expect(take(slow, 2)).rejects.toThrow(/more than 1 events waiting/);
  });
});
