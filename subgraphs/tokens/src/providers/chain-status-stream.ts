import type { ChainStatusEventModel } from '../models.ts';

/**
 * The events of the topic of all chains that `wanted` keeps (one chain's, or those the
 * subscriber may see).
 * A plain iterator rather than an async generator: a generator waiting for the next event
 * cannot be returned, and the subscription underneath would outlive the client.
 */
export function chainStatusStream(
  source: AsyncIterableIterator<ChainStatusEventModel>,
  wanted: (event: ChainStatusEventModel) => Promise<boolean>,
): AsyncIterableIterator<ChainStatusEventModel> {
  const stream: AsyncIterableIterator<ChainStatusEventModel> = {
    async next() {
      for (;;) {
        const result = await source.next();
        if (result.done || (await wanted(result.value))) return result;
      }
    },
    return: async () => (await source.return?.()) ?? { done: true, value: undefined },
    [Symbol.asyncIterator]: () => stream,
  };
  return stream;
}
