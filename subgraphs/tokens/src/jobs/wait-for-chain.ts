import { enqueueJob, type JobHandler, type Prisma, type PrismaClient } from '@token-nexus/prisma';
import type { Logger } from '@token-nexus/shared';
import { ChainUnavailableError } from '../chain/index.ts';
import type { ChainClients } from './chain-clients.ts';

/**
 * A chain job that waits for its chain instead of failing while no RPC endpoint of the
 * chain answers: when an attempt fails with `ChainUnavailableError` and every endpoint of
 * the chain is down, the job is queued again for `waitMs` later, with all its attempts
 * (this attempt ends without error). The work is safe to repeat (see token-jobs.ts), so
 * the next run carries on from what was stored. A chain that answers but fails some calls
 * still costs attempts, as before: that is the call failing, not the chain.
 *
 * `Token.waitingForChain` shows it: the scanner marks the chain unhealthy meanwhile.
 */
export function waitingForChain<P>(
  handler: JobHandler<P>,
  deps: { prisma: PrismaClient; clients: ChainClients; logger: Logger; waitMs: number },
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
        await enqueueJob(deps.prisma, handler.definition, payload as Prisma.InputJsonValue, { runAt: new Date(Date.now() + deps.waitMs) });
        deps.logger.warn({ queue: handler.definition.queue, chainId, err: error }, 'no endpoint of the chain answers; the job waits for it');
      }
    },
  };
}
