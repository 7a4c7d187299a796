/** Yielded once, last, when a subscriber is no longer allowed: the resolver turns it into an error. */
export const accessRevoked = Symbol('access revoked');

/**
 * Passes a subscription's events on while `allowed()` holds, checking it before each one.
 * When it stops holding, yields `accessRevoked` (so the subscriber gets an error it can
 * act on) and ends; either way the source is closed and `onEnd` runs exactly once.
 *
 * A plain iterator rather than an async generator on purpose: `return()` on a generator
 * waiting for its source's next event would itself wait for that event, so a subscriber
 * who leaves a quiet topic would hold its stream (and a server's shutdown) open. Here
 * `return()` closes the source at once, which also ends a pending `next()`.
 */
export function guardedStream<T>(
  source: AsyncIterator<T>,
  allowed: () => Promise<boolean>,
  onEnd: () => void = () => {},
): AsyncIterableIterator<T | typeof accessRevoked> {
  let ended = false;
  const end = async (): Promise<IteratorReturnResult<undefined>> => {
    if (!ended) {
      ended = true;
      onEnd();
      await source.return?.();
    }
    return { done: true, value: undefined };
  };
  return {
    async next() {
      if (ended) return { done: true, value: undefined };
      const result = await source.next();
      if (ended || result.done) return end();
      if (!(await allowed())) {
        await end();
        return { done: false, value: accessRevoked };
      }
      return result;
    },
    return: end,
    async throw(error: unknown) {
      await end();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
