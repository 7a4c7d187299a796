/**
 * The events of `source` that `keep` says yes to: one workflow's runs out of an
 * organization's, one chain's status out of every chain's.
 *
 * A plain iterator rather than an async generator: a generator waiting for its next event
 * cannot be returned until one arrives, so the subscription underneath would outlive a
 * client that left a quiet topic. `return` here reaches the source at once.
 */
export function filteredStream<T>(source: AsyncIterator<T>, keep: (event: T) => boolean | Promise<boolean>): AsyncIterableIterator<T> {
  const stream: AsyncIterableIterator<T> = {
    async next() {
      for (;;) {
        const result = await source.next();
        if (result.done || (await keep(result.value))) return result;
      }
    },
    return: async () => (await source.return?.()) ?? { done: true, value: undefined },
    [Symbol.asyncIterator]: () => stream,
  };
  return stream;
}
