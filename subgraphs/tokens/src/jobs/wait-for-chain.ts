import { JobDeferredError, type JobHandler, type PrismaClient } from '@token-nexus/prisma';
import { ChainUnavailableError } from '../chain/index.ts';
import type { ChainClients } from './chain-clients.ts';

/**
 * A chain job that waits for its chain instead of failing while no RPC endpoint of the
 * chain answers: when an attempt fails with `ChainUnavailableError` and every endpoint of
 * the chain is down, the job is deferred `waitMs` (a `JobDeferredError`: same job, attempt
 * given back). The work is safe to repeat (see token-jobs.ts), so the next run carries on
 * from what was stored. A chain that answers but fails some calls still costs attempts, as
 * before: that is the call failing, not the chain.
 *
 * `Token.waitingForChain` shows it: the scanner marks the chain unhealthy meanwhile.
 */
export function waitingForChain<P>(
  handler: JobHandler<P>,
  deps: { prisma: PrismaClient; clients: ChainClients; waitMs: number },
  chainOf: (payload: P) => Promise<number | null>,
): JobHandler<P> {
  return {
    ...handler,
    async run(payload, context) {
      try {
        await handler.run(payload, context);
      } catch (error) {
        if (!(error instanceof ChainUnavailableError) || context.signal.aborted) throw error;
        const chainId = await chainOf(payload);
        const chain = chainId === null ? null : await deps.prisma.chain.findUnique({ where: { chainId } });
        if (!chain || deps.clients.for(chain).endpoints().some((endpoint) => endpoint.healthy)) throw error;
        throw new JobDeferredError(new Date(Date.now() + deps.waitMs), `Waiting for chain ${chainId}: ${error.message}`);
      }
    },
  };
}
