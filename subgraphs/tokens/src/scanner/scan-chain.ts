import type { Chain, ChainStatus, PrismaClient } from '@token-nexus/prisma';
import type { FailoverChainClient } from '../chain/index.ts';
import { maskRpcUrl } from '../chain/mask-rpc-url.ts';
import type { ChainEndpointStatusModel } from '../models.ts';

/** Blocks the block time is averaged over. */
const blockTimeSpan = 10;

/** What one look at a chain found, as `chain_statuses` stores it. */
export interface ChainScan {
  healthy: boolean;
  latestBlock: number | null;
  blockTimeSeconds: number | null;
  lagBlocks: number | null;
  endpoints: ChainEndpointStatusModel[];
}

/**
 * Looks at a chain through its client: every endpoint probed side by side (health,
 * latency, head; one far behind the others counts unhealthy), then, through the best one,
 * the average block time over the last blocks and how far the finalized block trails the
 * head (the chain's confirmations when the node has no finalized block).
 */
export async function scanChain(chain: Chain, client: FailoverChainClient): Promise<ChainScan> {
  const probed = await client.probe();
  const endpoints = probed.map((endpoint) => ({
    url: maskRpcUrl(endpoint.url),
    healthy: endpoint.healthy,
    latencyMs: endpoint.latencyMs === null ? null : Math.round(endpoint.latencyMs),
    lastError: endpoint.lastError,
    checkedAt: endpoint.checkedAt?.toISOString() ?? null,
  }));
  const heads = probed.filter((endpoint) => endpoint.healthy && endpoint.head !== null).map((endpoint) => endpoint.head!);
  if (heads.length === 0) return { healthy: false, latestBlock: null, blockTimeSeconds: null, lagBlocks: null, endpoints };
  const latestBlock = Math.max(...heads);
  const [latest, earlier, finalized] = await Promise.all([
    client.blockHeader(latestBlock),
    client.blockHeader(Math.max(0, latestBlock - blockTimeSpan)),
    client.blockHeader('finalized').catch(() => null),
  ]);
  const span = latest && earlier ? latest.number - earlier.number : 0;
  return {
    healthy: true,
    latestBlock,
    blockTimeSeconds: span > 0 ? (latest!.timestamp - earlier!.timestamp) / span : null,
    lagBlocks: finalized ? Math.max(0, latestBlock - finalized.number) : chain.confirmations,
    endpoints,
  };
}

/** Whether a scan shows something a subscriber would see changed. */
export function scanChanged(before: ChainStatus | null, scan: ChainScan): boolean {
  if (!before) return true;
  const health = (endpoints: ChainEndpointStatusModel[]) => endpoints.map((endpoint) => `${endpoint.url}:${endpoint.healthy}:${endpoint.lastError}`).join('|');
  return (
    before.healthy !== scan.healthy ||
    before.latestBlock !== scan.latestBlock ||
    before.lagBlocks !== scan.lagBlocks ||
    health(before.endpoints as unknown as ChainEndpointStatusModel[]) !== health(scan.endpoints)
  );
}

/** Stores a scan; true when it changed what `Chain.status` shows. */
export async function recordScan(prisma: PrismaClient, chainId: number, scan: ChainScan): Promise<boolean> {
  const before = await prisma.chainStatus.findUnique({ where: { chainId } });
  const data = { ...scan, endpoints: scan.endpoints as unknown as object[], checkedAt: new Date() };
  await prisma.chainStatus.upsert({ where: { chainId }, create: { chainId, ...data }, update: data });
  return scanChanged(before, scan);
}
