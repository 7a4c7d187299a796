import { ChainCallRefusedError, ChainUnavailableError, type ChainClient } from './chain-client.ts';
import type { EndpointHealthBoard } from './endpoint-health.ts';

/** One RPC endpoint of a failover client: its own client, and its host for messages. */
export interface Endpoint {
  client: ChainClient;
  /** Never the whole URL: its path, query or credentials may hold an API key. */
  host: string;
}

/**
 * Runs an operation on one endpoint after another, in the order `board` gives, until one
 * answers; records each outcome on `board`. Only `ChainUnavailableError` moves on: a
 * refusal is the chain's answer, and any other error is not the endpoint's fault.
 */
export function failingOver(
  chainId: number,
  endpoints: readonly Endpoint[],
  board: EndpointHealthBoard,
  isClosed: () => boolean,
): <T>(operation: (client: ChainClient) => Promise<T>) => Promise<T> {
  return async (operation) => {
    if (isClosed()) throw new ChainUnavailableError('chain client closed');
    const failures: string[] = [];
    let lastFailure: ChainUnavailableError | undefined;
    for (const index of board.trialOrder()) {
      const { client, host } = endpoints[index]!;
      try {
        const result = await operation(client);
        board.answered(index);
        return result;
      } catch (error) {
        // Closing ends requests in flight: that says nothing about the endpoints.
        if (isClosed()) throw error;
        if (error instanceof ChainCallRefusedError) board.answered(index);
        if (!(error instanceof ChainUnavailableError)) throw error;
        board.failed(index, error.message);
        failures.push(`${host} (${error.message})`);
        lastFailure = error;
      } finally {
        board.publish();
      }
    }
    throw new ChainUnavailableError(`no RPC endpoint of chain ${chainId} answered: ${failures.join('; ')}`, {
      cause: lastFailure,
    });
  };
}
