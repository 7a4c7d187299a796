import { openServiceResources, type GivenResources, rateLimitRecorder, startJobRunner } from '@token-nexus/prisma';
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
import { pageScheduleHandler } from './jobs/page-schedule-job.ts';
import { startPresenceSweeper } from './live/presence.ts';
import { handleFormExportRoute } from './providers/form-export-route.ts';
import { handleMediaUsageRoute } from './providers/media-usage-route.ts';
import { createReadyMediaAssets } from './providers/ready-media-assets.ts';
import { handleSitemapPagesRoute } from './providers/sitemap-route.ts';
import { PropsValidatorCache } from './validation/props-validators.ts';

/** What only the process that starts the whole graph can give. */
export interface CmsStartOptions extends GivenResources {
  /**
   * The media subgraph's GraphQL URL, when it listens only after this service started (it
   * is read on each use). Else MEDIA_URL.
   */
  mediaUrl?: () => string;
}

/**
 * Starts the cms subgraph. `database` and `events` are given when several services share
 * one process; otherwise it opens its own from the config. Besides GraphQL it answers the
 * media subgraph's question of which published pages use an asset (`/internal/media-usage`)
 * and the gateway's of which pages a public site's sitemap lists (`/internal/sitemap-pages`),
 * and streams form-submission exports (`/exports/form-submissions/<id>`, a signed link).
 */
export async function startCms(
  config: CmsConfig,
  options: CmsStartOptions = {},
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
  const validators = new PropsValidatorCache();
  const runner = startJobRunner(
    database.prisma,
    [pageScheduleHandler({ prisma: database.prisma, onAuditRecorded: resources.onAuditRecorded, logger })],
    { ...config.jobs, redisUrl: config.redisUrl, keyPrefix: config.keyPrefix, logger, observability: { ...resources.observability, service: 'cms' } },
  );
  const publicOrganizations = createPublicOrganizationLookup(identity);
  const internal = { prisma: database.prisma, signingSecret: config.signingSecret };
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
      publicOrganizations,
      validators,
      events,
      live,
      media: createReadyMediaAssets({ mediaUrl: options.mediaUrl ?? (() => config.mediaUrl), signingSecret: config.signingSecret }),
      signingSecret: config.signingSecret,
    }),
    checkReady: database.ping,
    jobCounts: () => runner.counts(),
    rateLimitStore: createRateLimitStore({ redisUrl: config.redisUrl, keyPrefix: config.keyPrefix, service: 'cms', logger }),
    onRateLimited: rateLimitRecorder(database.prisma, logger, resources.onAuditRecorded, resources.bursts),
    routes: async (request, response) =>
      (await handleMediaUsageRoute(request, response, internal)) ||
      (await handleFormExportRoute(request, response, internal)) ||
      handleSitemapPagesRoute(request, response, { ...internal, publicOrganizations }),
  });
  return {
    ...running,
    close: async () => {
      await runner.close();
      await running.close();
      await sweeper.stop();
      await presenceStore.close();
      await resources.close();
    },
  };
}
