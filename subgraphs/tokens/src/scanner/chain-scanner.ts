import type { PrismaClient } from '@token-nexus/prisma';
import { startPolling, type EventBus, type Logger } from '@token-nexus/shared';
import type { ChainClients } from '../jobs/chain-clients.ts';
import { publishChainStatusEvent } from '../providers/chain-events.ts';
import { recordScan, scanChain } from './scan-chain.ts';

/**
 * Looks at every chain every `intervalMs` (and at once when a client of this process sees
 * an endpoint go down or come back: `wake`), and records what it saw in `chain_statuses`
 * (`Chain.status`), announcing changes on `chainStatusChanged`.
 *
 * Every instance scans. A claim on the chain's row (`scan_claimed_until`, half an interval)
 * keeps the instances of one round from all looking at the same chain; a woken round
 * looks regardless, because what woke it is news. No transaction is held while the chain
 * is asked: with the embedded database's single connection, one would stall every other
 * statement of the process for as long as a slow endpoint takes to time out.
 */
export function startChainScanner(options: { prisma: PrismaClient; clients: ChainClients; events: EventBus; logger: Logger; intervalMs: number }) {
  const { prisma, clients, events, logger } = options;
  const claimMs = Math.max(1, Math.floor(options.intervalMs / 2));
  let woken = false;

  const claim = async (chainId: number, force: boolean): Promise<boolean> => {
    const claimed = await prisma.$executeRaw`
      UPDATE tokens.chains SET scan_claimed_until = now() + ${claimMs} * interval '1 millisecond'
      WHERE chain_id = ${chainId} AND (${force} OR scan_claimed_until IS NULL OR scan_claimed_until < now())`;
    return claimed > 0;
  };

  const scanOne = async (chainId: number, force: boolean) => {
    if (!(await claim(chainId, force))) return;
    const chain = await prisma.chain.findUniqueOrThrow({ where: { chainId } });
    const scan = await scanChain(chain, clients.for(chain));
    if (await recordScan(prisma, chainId, scan)) await publishChainStatusEvent(events, chainId);
  };

  const polling = startPolling(options.intervalMs, logger, 'chain scanner', async () => {
    const force = woken;
    woken = false;
    const chains = await prisma.chain.findMany({ select: { chainId: true }, orderBy: { chainId: 'asc' } });
    await Promise.all(
      chains.map(({ chainId }) => scanOne(chainId, force).catch((error: unknown) => logger.warn({ err: error, chainId }, 'scanning a chain failed'))),
    );
    return false;
  });
  return {
    wake: () => {
      woken = true;
      polling.wake();
    },
    stop: polling.stop,
  };
}
