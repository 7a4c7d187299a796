import { openServiceResources, type GivenResources, rateLimitRecorder } from '@token-nexus/prisma';
import {
  KeyVault,
  createOrganizationAccess,
  createRateLimitStore,
  startSubgraphServer,
  type RunningSubgraph,
} from '@token-nexus/shared';
import type { AiConfig } from './config.ts';
import { createAiContextFactory } from './context.ts';
import { ReplyRunner } from './generation/reply-runner.ts';
import { aiSubgraph } from './index.ts';

/**
 * Starts the ai subgraph. Replies are written by the replica that took the message;
 * cancellations reach it from any replica through the event bus. `database` and `events`
 * are given when several services share one process.
 */
export async function startAi(
  config: AiConfig,
  options: GivenResources = {},
): Promise<RunningSubgraph> {
  const resources = await openServiceResources('ai', config, options);
  const { logger, database, events } = resources;
  const keys = new KeyVault(config.masterKey);
  const replies = new ReplyRunner({
    prisma: database.prisma,
    events,
    keys,
    logger,
    platform: config.provider,
    prices: config.prices,
    leases: config.leases,
    toolSources: config.toolSources,
    signingSecret: config.signingSecret,
  });
  const running = await startSubgraphServer({
    subgraph: aiSubgraph,
    observability: resources.observability,
    host: config.server.host,
    port: config.server.port,
    signingSecret: config.signingSecret,
    logger,
    createContext: createAiContextFactory({
      onAuditRecorded: resources.onAuditRecorded,
      bursts: resources.bursts,
      prisma: database.prisma,
      organizationAccess: createOrganizationAccess({ identityUrl: config.identityUrl, signingSecret: config.signingSecret }),
      events,
      keys,
      replies,
      defaultModel: config.provider.defaultModel,
    }),
    checkReady: database.ping,
    rateLimitStore: createRateLimitStore({ redisUrl: config.redisUrl, keyPrefix: config.keyPrefix, service: 'ai', logger }),
    onRateLimited: rateLimitRecorder(database.prisma, logger, resources.onAuditRecorded, resources.bursts),
  });
  return {
    ...running,
    close: async () => {
      await running.close();
      await replies.close();
      await resources.close();
    },
  };
}
