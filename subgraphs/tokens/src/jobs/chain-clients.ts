import type { Chain } from '@token-nexus/prisma';
import { createChainClient, type ChainClient } from '../chain/index.ts';

/**
 * One JSON-RPC client per chain, shared by the jobs and the indexer of the process, made
 * again when a SYSTEM_ADMIN changes the chain's RPC URL.
 */
export class ChainClients {
  private readonly clients = new Map<number, { rpcUrl: string; client: ChainClient }>();

  constructor(private readonly timeoutMs: number) {}

  for(chain: Pick<Chain, 'chainId' | 'rpcUrl'>): ChainClient {
    const known = this.clients.get(chain.chainId);
    if (known?.rpcUrl === chain.rpcUrl) return known.client;
    void known?.client.close();
    const client = createChainClient({ rpcUrl: chain.rpcUrl, chainId: chain.chainId }, { timeoutMs: this.timeoutMs });
    this.clients.set(chain.chainId, { rpcUrl: chain.rpcUrl, client });
    return client;
  }

  async close(): Promise<void> {
    await Promise.all([...this.clients.values()].map(({ client }) => client.close()));
    this.clients.clear();
  }
}
