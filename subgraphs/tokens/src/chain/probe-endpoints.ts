import { ChainUnavailableError, createChainClient } from './chain-client.ts';
import type { EndpointHealth, EndpointHealthBoard } from './endpoint-health.ts';

/** The endpoints to probe, in the board's order, and what counts as lagging. */
export interface ProbeTarget {
  chainId: number;
  rpcUrls: readonly string[];
  timeoutMs: number | undefined;
  maxLagBlocks: number;
}

/**
 * Probes every endpoint side by side and records on `board` what each showed: answering in
 * so many ms, failing, or answering with a head more than `maxLagBlocks` behind the best
 * one. Returns the endpoints' health with their heads (null where the probe failed).
 */
export async function probeEndpoints(
  target: ProbeTarget,
  board: EndpointHealthBoard,
): Promise<Array<EndpointHealth & { head: number | null }>> {
  const outcomes = await Promise.allSettled(target.rpcUrls.map((rpcUrl) => probeEndpoint(rpcUrl, target)));
  const heads = outcomes.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value.head : null));
  const best = Math.max(...heads.filter((head) => head !== null));
  outcomes.forEach((outcome, index) => {
    const host = new URL(target.rpcUrls[index]!).host;
    if (outcome.status === 'rejected') {
      board.failed(index, probeFailure(host, outcome.reason));
    } else {
      const { head, latencyMs } = outcome.value;
      const lag = best - head > target.maxLagBlocks ? `node ${host} is ${best - head} blocks behind (head ${head}, best ${best})` : null;
      board.probed(index, latencyMs, lag);
    }
  });
  board.publish();
  return board.snapshot().map((health, index) => ({ ...health, head: heads[index]! }));
}

/**
 * Asks the node at `rpcUrl` which chain it serves and its head block, through a client of
 * its own: the endpoint's long-lived client checks the chain id only once, and a node that
 * was switched to another chain since must not pass.
 */
async function probeEndpoint(rpcUrl: string, target: ProbeTarget): Promise<{ head: number; latencyMs: number }> {
  const { chainId, timeoutMs } = target;
  const client = createChainClient({ rpcUrl, chainId }, timeoutMs === undefined ? {} : { timeoutMs });
  try {
    const started = performance.now();
    // Two round trips, chain id then head: the same on every endpoint, so comparable.
    const head = await client.headNumber();
    return { head, latencyMs: Math.round(performance.now() - started) };
  } finally {
    await client.close();
  }
}

/**
 * The client's own errors name the host only; anything else (a reply that is not JSON-RPC,
 * say) may quote the request, URL included, so only its code or name is kept.
 */
function probeFailure(host: string, error: unknown): string {
  if (error instanceof ChainUnavailableError) return error.message;
  const { code, name } = error as { code?: unknown; name?: unknown };
  return `node ${host} failed the probe: ${String(code ?? name ?? 'unknown error')}`;
}
