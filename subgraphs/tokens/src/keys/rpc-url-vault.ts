import type { Chain } from '@token-nexus/prisma';
import type { KeyVault } from '@token-nexus/shared';
import { maskRpcUrl } from '../chain/mask-rpc-url.ts';

/** What a chain's encrypted RPC URLs are bound to (the additional data of their encryption). */
function rpcUrlsBinding(chainId: number): string {
  return `chain-rpc:${chainId}`;
}

/** The columns that store a chain's RPC URLs: encrypted, and masked for showing. */
export function storedRpcUrls(vault: KeyVault, chainId: number, rpcUrls: string[]) {
  return {
    encryptedRpcUrls: vault.encrypt(JSON.stringify(rpcUrls), rpcUrlsBinding(chainId)),
    maskedRpcUrls: rpcUrls.map(maskRpcUrl),
    rpcUrl: null,
  };
}

/**
 * A chain's RPC URLs in clear, in order of preference. A chain stored before the URLs were
 * encrypted still has its one URL in `rpcUrl` until the service encrypts it at start.
 */
export function readRpcUrls(vault: KeyVault, chain: Pick<Chain, 'chainId' | 'rpcUrl' | 'encryptedRpcUrls'>): string[] {
  if (chain.encryptedRpcUrls) return JSON.parse(vault.decrypt(chain.encryptedRpcUrls, rpcUrlsBinding(chain.chainId))) as string[];
  return chain.rpcUrl ? [chain.rpcUrl] : [];
}
