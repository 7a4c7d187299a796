import { openServiceResources, type GivenResources, rateLimitRecorder } from '@token-nexus/prisma';
import {
  createOrganizationAccess,
  createPublicOrganizationLookup,
  createRateLimitStore,
  createRedisClient,
  MemoryPresenceStore,
  RedisPresenceStore,
  startSubgraphServer,
  type RunningSubgraph,
} from '@token-nexus/shared';
import type { CmsConfig } from './config.ts';
import { createCmsContextFactory } from './context.ts';
import { cmsSubgraph } from './index.ts';
import { startPresenceSweeper } from './live/presence.ts';
import { PropsValidatorCache } from './validation/props-validators.ts';

/**
 * Starts the cms subgraph. `database` and `events` are given when several services share
 * one process; otherwise it opens its own from the config.
 */
export async function startCms(
  config: CmsConfig,
  options: GivenResources = {},
): Promise<RunningSubgraph> {
  const resources = await openServiceResources('cms', config, options);
  const { logger, database, events } = resources;
  // Presence is shared by the replicas through Redis (under the deployment's prefix);
  // in memory when the whole graph is one process.
  const presenceStore = config.redisUrl
    ? new RedisPresenceStore(createRedisClient(config.redisUrl, 'tnx-cms-presence', logger), config.keyPrefix)
    : new MemoryPresenceStore();
  const live = { presence: presenceStore, presenceTtlMs: config.presenceTtlMs, maxVersionsBehind: config.maxVersionsBehind };
  const sweeper = startPresenceSweeper({ store: presenceStore, events, ttlMs: config.presenceTtlMs, logger });
  const identity = { identityUrl: config.identityUrl, signingSecret: config.signingSecret };
  const running = await startSubgraphServer({
    subgraph: cmsSubgraph,
    observability: resources.observability,
    host: config.server.host,
    port: config.server.port,
    signingSecret: config.signingSecret,
    logger,
    createContext: createCmsContextFactory({
      onAuditRecorded: resources.onAuditRecorded,
      bursts: resources.bursts,
      prisma: database.prisma,
      organizationAccess: createOrganizationAccess(identity),
      publicOrganizations: createPublicOrganizationLookup(identity),
      validators: new PropsValidatorCache(),
      events,
      live,
    }),
    checkReady: database.ping,
    rateLimitStore: createRateLimitStore({ redisUrl: config.redisUrl, keyPrefix: config.keyPrefix, service: 'cms', logger }),
    onRateLimited: rateLimitRecorder(database.prisma, logger, resources.onAuditRecorded, resources.bursts),
  });
  return {
    ...running,
    close: async () => {
      await running.close();
      await sweeper.stop();
      await presenceStore.close();
      await resources.close();
    },
  };
}
