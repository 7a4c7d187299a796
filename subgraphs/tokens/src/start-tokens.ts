import { openServiceResources, type GivenResources, rateLimitRecorder, startJobRunner } from '@token-nexus/prisma';
import {
  createOrganizationAccess,
  createRateLimitStore,
  startSubgraphServer,
  type RunningSubgraph,
} from '@token-nexus/shared';
import type { TokensConfig } from './config.ts';
import { createTokensContextFactory } from './context.ts';
import { tokensSubgraph } from './index.ts';
import { startTokenIndexer } from './indexer/token-indexer.ts';
import { ChainClients } from './jobs/chain-clients.ts';
import { tokenJobDefinitions, tokenJobHandlers } from './jobs/token-jobs.ts';
import { KeyVault } from '@token-nexus/shared';
import { encryptLegacyRpcUrls } from './providers/chains.ts';
import { startChainScanner } from './scanner/chain-scanner.ts';

/**
 * Starts the tokens subgraph, a job runner for its chain jobs (deployments, transactions,
 * pauses) and the indexer; every instance shares the queues and the indexing (the
 * indexer's writes are idempotent). `database` and `events` are given when several
 * services share one process.
 */
export async function startTokens(
  config: TokensConfig,
  options: GivenResources = {},
): Promise<RunningSubgraph> {
  const resources = await openServiceResources('tokens', config, options);
  const { logger, database, events } = resources;
  const keys = new KeyVault(config.masterKey);
  await encryptLegacyRpcUrls(database.prisma, keys);
  // The scanner is started below; a client seeing an endpoint flip wakes it from then on.
  let wakeScanner = () => {};
  const clients = new ChainClients(keys, {
    timeoutMs: config.chain.rpcTimeoutMs,
    recheckAfterMs: config.chain.rpcRecheckMs,
    onHealthChange: () => wakeScanner(),
  });
  const jobs = tokenJobDefinitions(config.chain.jobMaxAttempts, config.chain.jobRetryBaseMs);
  const runner = startJobRunner(
    database.prisma,
    tokenJobHandlers(
      {
        prisma: database.prisma,
        vault: keys,
        clients,
        events,
        logger,
        onAuditRecorded: resources.onAuditRecorded,
        cacheVersions: resources.cacheVersions,
        settings: {
          confirmationTimeoutMs: config.chain.confirmationTimeoutMs,
          receiptPollMs: config.chain.receiptPollMs,
          chainWaitMs: config.chain.rpcRecheckMs,
        },
      },
      jobs,
    ),
    { ...config.jobs, redisUrl: config.redisUrl, keyPrefix: config.keyPrefix, logger, observability: { ...resources.observability, service: 'tokens' } },
  );
  const running = await startSubgraphServer({
    subgraph: tokensSubgraph,
    observability: resources.observability,
    host: config.server.host,
    port: config.server.port,
    signingSecret: config.signingSecret,
    logger,
    createContext: createTokensContextFactory({
      onAuditRecorded: resources.onAuditRecorded,
      bursts: resources.bursts,
      prisma: database.prisma,
      organizationAccess: createOrganizationAccess({ identityUrl: config.identityUrl, signingSecret: config.signingSecret }),
      events,
      keys,
      jobs,
      clients,
    }),
    checkReady: database.ping,
    jobCounts: () => runner.counts(),
    rateLimitStore: createRateLimitStore({ redisUrl: config.redisUrl, keyPrefix: config.keyPrefix, service: 'tokens', logger }),
    onRateLimited: rateLimitRecorder(database.prisma, logger, resources.onAuditRecorded, resources.bursts),
  });
  const indexer = startTokenIndexer({
    prisma: database.prisma,
    clients,
    events,
    logger,
    intervalMs: config.chain.indexerIntervalMs,
  });
  const scanner = startChainScanner({ prisma: database.prisma, clients, events, logger, intervalMs: config.chain.scanIntervalMs });
  wakeScanner = scanner.wake;
  return {
    ...running,
    close: async () => {
      await indexer.stop();
      await scanner.stop();
      // Before the chain clients, which running jobs use.
      await runner.close();
      await running.close();
      await clients.close();
      await resources.close();
    },
  };
}
