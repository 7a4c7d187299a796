import { LogRangeTooLargeError } from '../chain/index.ts';

/** The range a chain's log requests start with, and the most they grow to. */
const initialRange = 2_000;
const maxRange = 10_000;
/** Successful reads at a range before trying twice as many blocks. */
const readsBeforeGrowing = 20;
/**
 * The most logs one read hands over. The indexer writes a read's logs in one database
 * transaction, a few statements per log, which Prisma ends after 5 s: a range dense with
 * events (2,000 logs took that long) would fail every round, for ever, and stop the
 * whole chain's indexing with it. So a read that brings more is asked again in halves,
 * like a range the node refuses; a single block is taken whole, as it cannot be split.
 */
const maxLogsPerRead = 500;

/**
 * How many blocks one eth_getLogs may cover, per chain, learnt from the node: a range the
 * node refuses as too large, or that holds more logs than one read may bring, is halved
 * (down to one block) and asked again at once; after a run of successes it doubles again,
 * so a limit that was lifted (or a busy stretch of blocks that is past) does not keep
 * requests small for ever.
 */
export class LogRanges {
  private readonly byChain = new Map<number, { range: number; successes: number }>();

  /** Reads `from..` as far as the chain's range allows (never past `head`); the logs and the last block covered. */
  async read<T>(chainId: number, from: number, head: number, readTo: (to: number) => Promise<T[]>): Promise<{ logs: T[]; to: number }> {
    const state = this.byChain.get(chainId) ?? { range: initialRange, successes: 0 };
    this.byChain.set(chainId, state);
    const halve = (to: number) => {
      state.range = Math.max(1, Math.floor((to - from + 1) / 2));
      state.successes = 0;
    };
    for (;;) {
      const to = Math.min(head, from + state.range - 1);
      let logs: T[];
      try {
        logs = await readTo(to);
      } catch (error) {
        if (!(error instanceof LogRangeTooLargeError) || to === from) throw error;
        halve(to);
        continue;
      }
      if (logs.length > maxLogsPerRead && to > from) {
        halve(to);
        continue;
      }
      state.successes += 1;
      if (state.successes >= readsBeforeGrowing && state.range < maxRange) {
        state.range = Math.min(maxRange, state.range * 2);
        state.successes = 0;
      }
      return { logs, to };
    }
  }

  /** The range the next read of a chain asks for (for tests and logs). */
  rangeOf(chainId: number): number {
    return this.byChain.get(chainId)?.range ?? initialRange;
  }
}
