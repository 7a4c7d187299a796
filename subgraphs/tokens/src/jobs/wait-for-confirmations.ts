import type { ChainClient, ReceiptStatus } from '../chain/index.ts';

/** The transaction never reached its confirmations in time: the job is retried (and re-sends it). */
export class ConfirmationTimeoutError extends Error {}

/**
 * Polls the transaction's receipt until it is mined with `confirmations` blocks on top of
 * it (counting its own), or it reverted. Stops early when `signal` aborts (the worker is
 * stopping: the job will run again and find the same transaction).
 */
export async function waitForConfirmations(
  client: ChainClient,
  hash: string,
  options: { confirmations: number; timeoutMs: number; pollMs: number; signal: AbortSignal },
): Promise<ReceiptStatus> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    options.signal.throwIfAborted();
    const receipt = await client.receipt(hash);
    if (receipt && (receipt.status === 'reverted' || receipt.confirmations >= options.confirmations)) return receipt;
    if (Date.now() > deadline) {
      throw new ConfirmationTimeoutError(
        receipt
          ? `transaction ${hash} has ${receipt.confirmations} of ${options.confirmations} confirmations after ${options.timeoutMs} ms`
          : `transaction ${hash} was not mined within ${options.timeoutMs} ms`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs));
  }
}
