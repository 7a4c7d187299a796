import type { Chain } from '@token-nexus/prisma';
import type { KeyVault } from '@token-nexus/shared';
import { createFailoverChainClient, type EndpointHealth, type FailoverChainClient } from '../chain/index.ts';
import { readRpcUrls } from '../keys/rpc-url-vault.ts';

/** How the process's chain clients time out and come back to an endpoint. */
export interface ChainClientSettings {
  timeoutMs: number;
  /** How long an endpoint that failed is skipped before it is tried again. */
  recheckAfterMs: number;
  /**
   * Called when an endpoint of a chain goes down or comes back, and when the chain's
   * endpoints are replaced (the scanner records it).
   */
  onHealthChange?: (chainId: number, endpoints: EndpointHealth[]) => void;
}

/**
 * One failover JSON-RPC client per chain, shared by the jobs, the indexer and the scanner
 * of the process (so what one learns of an endpoint's health, the others use), made again
 * when a SYSTEM_ADMIN changes the chain's RPC URLs.
 */
export class ChainClients {
  private readonly clients = new Map<number, { stored: string; client: FailoverChainClient }>();

  constructor(
    private readonly vault: KeyVault,
    private readonly settings: ChainClientSettings,
  ) {}

  for(chain: Pick<Chain, 'chainId' | 'rpcUrl' | 'encryptedRpcUrls'>): FailoverChainClient {
    // The ciphertext changes whenever the URLs are written again (a fresh IV each time).
    const stored = chain.encryptedRpcUrls ?? chain.rpcUrl ?? '';
    const known = this.clients.get(chain.chainId);
    if (known?.stored === stored) return known.client;
    void known?.client.close();
    const { onHealthChange } = this.settings;
    const client = createFailoverChainClient(
      { chainId: chain.chainId, rpcUrls: readRpcUrls(this.vault, chain) },
      {
        timeoutMs: this.settings.timeoutMs,
        recheckAfterMs: this.settings.recheckAfterMs,
        ...(onHealthChange ? { onHealthChange: (endpoints: EndpointHealth[]) => onHealthChange(chain.chainId, endpoints) } : {}),
      },
    );
    this.clients.set(chain.chainId, { stored, client });
    // New endpoints: the status the scanner last recorded is of the old ones, and a chain
    // moved off a dead node would show down (and its tokens waitingForChain) until the next
    // round. A new client starts with every endpoint healthy, so no flip would say so.
    if (known) onHealthChange?.(chain.chainId, client.endpoints());
    return client;
  }

  /**
   * The chain's RPC URLs were just changed (`updateChain`): its client is made again now,
   * and the scanner told, whether or not this process had a client of the chain before
   * (other processes make theirs again at their next use, which tells their scanner).
   */
  changed(chain: Pick<Chain, 'chainId' | 'rpcUrl' | 'encryptedRpcUrls'>): void {
    const hadOne = this.clients.has(chain.chainId);
    const client = this.for(chain);
    // With one, `for` has told it already.
    if (!hadOne) this.settings.onHealthChange?.(chain.chainId, client.endpoints());
  }

  async close(): Promise<void> {
    await Promise.all([...this.clients.values()].map(({ client }) => client.close()));
    this.clients.clear();
  }
}
