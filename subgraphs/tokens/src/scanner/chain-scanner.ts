import type { PrismaClient } from '@token-nexus/prisma';
import { startPolling, type EventBus, type Logger } from '@token-nexus/shared';
import type { ChainClients } from '../jobs/chain-clients.ts';
import { publishChainStatusEvent } from '../providers/chain-events.ts';
import { recordScan, scanChain } from './scan-chain.ts';

/**
 * Looks at every chain every `intervalMs` (and at once when a client of this process sees
 * an endpoint go down or come back: `wake`), and records what it saw in `chain_statuses`
 * (`Chain.status`), announcing changes on `chainStatusChanged`. Every instance scans, each
 * chain under a try-lock: one instance per chain per round, the others skip it.
 */
export function startChainScanner(options: { prisma: PrismaClient; clients: ChainClients; events: EventBus; logger: Logger; intervalMs: number }) {
  const { prisma, clients, events, logger } = options;
  const scanOne = async (chainId: number) => {
    await prisma.$transaction(
      async (tx) => {
        const [row] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(hashtext('tokens.chain-scan'), ${chainId}) AS locked`;
        if (!row?.locked) return;
        const chain = await tx.chain.findUniqueOrThrow({ where: { chainId } });
        const scan = await scanChain(chain, clients.for(chain));
        if (await recordScan(prisma, chainId, scan)) await publishChainStatusEvent(events, chainId);
      },
      // The probes are bounded by the RPC timeout; a round never holds the lock for longer.
      { maxWait: 10_000, timeout: 120_000 },
    );
  };
  const polling = startPolling(options.intervalMs, logger, 'chain scanner', async () => {
    const chains = await prisma.chain.findMany({ select: { chainId: true }, orderBy: { chainId: 'asc' } });
    await Promise.all(
      chains.map(({ chainId }) => scanOne(chainId).catch((error: unknown) => logger.warn({ err: error, chainId }, 'scanning a chain failed'))),
    );
    return false;
  });
  return { wake: polling.wake, stop: polling.stop };
}
