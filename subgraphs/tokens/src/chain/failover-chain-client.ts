import { ChainUnavailableError, createChainClient, type ChainClient } from './chain-client.ts';
import { EndpointHealthBoard, type EndpointHealth } from './endpoint-health.ts';
import { failingOver, type Endpoint } from './failing-over.ts';
import { probeEndpoints } from './probe-endpoints.ts';

export type { EndpointHealth };

/** A `ChainClient` over several RPC endpoints of one chain, with what it knows of each. */
export interface FailoverChainClient extends ChainClient {
  /** Each endpoint's health, in the configured (preference) order. */
  endpoints(): EndpointHealth[];
  /**
   * Probes every endpoint now, side by side: chain id served and head block, timed. An
   * endpoint whose head is more than `maxLagBlocks` behind the best one counts unhealthy
   * ("N blocks behind"). Returns the health with each endpoint's head (null when it failed).
   */
  probe(): Promise<Array<EndpointHealth & { head: number | null }>>;
}

export interface FailoverOptions {
  /** Of each request to one endpoint (default 10 s, as `createChainClient`'s). */
  timeoutMs?: number;
  /** How long an endpoint that failed is skipped before an operation tries it again (default 15 s). */
  recheckAfterMs?: number;
  /** How far behind the best endpoint's head a probe lets an endpoint be (default 10 blocks). */
  maxLagBlocks?: number;
  /**
   * Called, synchronously and with every endpoint's health, when any endpoint's `healthy`
   * flips; once for all the flips of one operation or probe. Must not throw: the operation
   * it reports on would fail with its error.
   */
  onHealthChange?: (endpoints: EndpointHealth[]) => void;
}

/**
 * Enough for a node to be a few blocks late without being dropped (every node sees a new
 * block a little after the others now and then), little enough that a node which stopped
 * following the chain is out within minutes on a 12 s chain, seconds on a 2 s one.
 */
const defaultMaxLagBlocks = 10;

/**
 * A chain client over `target.rpcUrls`, in order of preference. Each operation goes to the
 * most preferred healthy endpoint; one that cannot be asked (`ChainUnavailableError`) is
 * marked unhealthy and the operation tries the next. The chain refusing a call
 * (`ChainCallRefusedError`) or any other error ends the operation at once: another endpoint
 * would answer the same. An unhealthy endpoint is tried again, first in its place, once
 * `recheckAfterMs` has passed or a probe finds it answering; with every endpoint unhealthy,
 * all are tried anyway before giving up.
 *
 * Endpoints are separate nodes with their own pools: after a failover, a transaction still
 * pending on the node that failed is unknown to the next one (its pending nonce does not
 * count it) until broadcast there again, which is safe (broadcast is idempotent by hash).
 */
export function createFailoverChainClient(
  target: { chainId: number; rpcUrls: string[] },
  options: FailoverOptions = {},
): FailoverChainClient {
  const { chainId, rpcUrls } = target;
  if (rpcUrls.length === 0) throw new Error(`chain ${chainId}: a failover chain client needs at least one RPC URL`);
  const timeout = options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs };
  const endpoints: Endpoint[] = rpcUrls.map((rpcUrl) => ({
    client: createChainClient({ rpcUrl, chainId }, timeout),
    host: new URL(rpcUrl).host,
  }));
  const board = new EndpointHealthBoard(rpcUrls, options.recheckAfterMs ?? 15_000, options.onHealthChange);
  let closed = false;
  const run = failingOver(chainId, endpoints, board, () => closed);
  const maxLagBlocks = options.maxLagBlocks ?? defaultMaxLagBlocks;

  return {
    ...operationsThrough(endpoints[0]!.client, run),
    endpoints: () => board.snapshot(),
    probe: () => {
      if (closed) return Promise.reject(new ChainUnavailableError('chain client closed'));
      return probeEndpoints({ chainId, rpcUrls, timeoutMs: options.timeoutMs, maxLagBlocks }, board);
    },
    close: async () => {
      closed = true;
      await Promise.all(endpoints.map(({ client }) => client.close()));
    },
  };
}

type Operation = (...args: unknown[]) => Promise<unknown>;

/**
 * Every operation of a `ChainClient` but `close`, each run by `run` on some endpoint's
 * client. Taken from a client's own members rather than listed, so that an operation added
 * to `ChainClient` fails over too without a change here: each one is a request to one node.
 */
function operationsThrough(
  template: ChainClient,
  run: <T>(operation: (client: ChainClient) => Promise<T>) => Promise<T>,
): Omit<ChainClient, 'close'> {
  const operations: Record<string, unknown> = { chainId: template.chainId };
  for (const [name, member] of Object.entries(template)) {
    if (typeof member !== 'function' || name === 'close') continue;
    operations[name] = (...args: unknown[]) =>
      run((client) => (client as unknown as Record<string, Operation>)[name]!(...args));
  }
  return operations as unknown as Omit<ChainClient, 'close'>;
}
