import { openServiceResources, type GivenResources, rateLimitRecorder, startJobRunner } from '@token-nexus/prisma';
import {
  createOrganizationAccess,
  createRateLimitStore,
  startSubgraphServer,
  type RunningSubgraph,
} from '@token-nexus/shared';
import type { AnalyticsConfig } from './config.ts';
import { createAnalyticsContextFactory } from './context.ts';
import { analyticsSubgraph } from './index.ts';
import { createRawEventStore, ingestJobHandler, ingestSources, startIngestKeeper } from './ingest/index.ts';
import { createPublishedPageLookup } from './providers/published-pages.ts';
import { handleApiUsageRoute } from './routes/api-usage-route.ts';

/**
 * Starts the analytics subgraph (with the route gateways report request counts to), a job runner for the analytics queue (the ingester's
 * jobs: every instance works the shared queue) and the keeper that makes sure an ingest
 * job is always waiting or running. `database` is given when several services share one
 * process; otherwise it opens its own from the config.
 */
export async function startAnalytics(
  config: AnalyticsConfig,
  options: GivenResources = {},
): Promise<RunningSubgraph> {
  const resources = await openServiceResources('analytics', config, options);
  const { logger, database, events } = resources;
  const raw = createRawEventStore({ retentionDays: config.retentionDays });
  await raw.ensureParent(database.prisma);
  const runner = startJobRunner(
    database.prisma,
    [ingestJobHandler({ prisma: database.prisma, sources: ingestSources, raw, events, logger, settings: config.ingest })],
    { ...config.jobs, redisUrl: config.redisUrl, keyPrefix: config.keyPrefix, logger, observability: { ...resources.observability, service: 'analytics' } },
  );
  const keeper = startIngestKeeper({ prisma: database.prisma, logger, intervalMs: 5_000 });
  const running = await startSubgraphServer({
    subgraph: analyticsSubgraph,
    observability: resources.observability,
    host: config.server.host,
    port: config.server.port,
    signingSecret: config.signingSecret,
    logger,
    createContext: createAnalyticsContextFactory({
      prisma: database.prisma,
      organizationAccess: createOrganizationAccess({ identityUrl: config.identityUrl, signingSecret: config.signingSecret }),
      publishedPages: createPublishedPageLookup({
        identityUrl: config.identityUrl,
        cmsUrl: config.cmsUrl,
        signingSecret: config.signingSecret,
      }),
      raw,
      events,
    }),
    checkReady: database.ping,
    jobCounts: () => runner.counts(),
    rateLimitStore: createRateLimitStore({ redisUrl: config.redisUrl, keyPrefix: config.keyPrefix, service: 'analytics', logger }),
    onRateLimited: rateLimitRecorder(database.prisma, logger, resources.onAuditRecorded, resources.bursts),
    routes: (request, response) =>
      handleApiUsageRoute(request, response, { prisma: database.prisma, signingSecret: config.signingSecret }),
  });
  return {
    ...running,
    close: async () => {
      await keeper.stop();
      await runner.close();
      await running.close();
      await resources.close();
    },
  };
}
