import { openServiceResources, type GivenResources, rateLimitRecorder, startJobRunner } from '@token-nexus/prisma';
import {
  createOrganizationAccess,
  createRateLimitStore,
  startSubgraphServer,
  type RunningSubgraph,
} from '@token-nexus/shared';
import type { AuditConfig } from './config.ts';
import { createAuditContextFactory } from './context.ts';
import { auditSubgraph } from './index.ts';
import { createDownloadSigner } from './providers/download-links.ts';
import { handleExportDownload } from './providers/export-download.ts';
import { auditExportHandler } from './providers/exports.ts';
import { refusedLinkRecorder } from './providers/refused-download-links.ts';

/**
 * Starts the audit subgraph, its export download route, and a job runner for its export jobs
 * (every instance works the shared queue). `database` is given when several services
 * share one process; otherwise it opens its own from the config.
 */
export async function startAudit(
  config: AuditConfig,
  options: GivenResources = {},
): Promise<RunningSubgraph> {
  const resources = await openServiceResources('audit', config, options);
  const { logger, database, events } = resources;
  const downloads = createDownloadSigner(config.signingSecret);
  const runner = startJobRunner(database.prisma, [auditExportHandler(database.prisma, logger, resources.onAuditRecorded)], {
    ...config.jobs,
    redisUrl: config.redisUrl,
    keyPrefix: config.keyPrefix,
    observability: { ...resources.observability, service: 'audit' },
    logger,
  });
  const onForgedLink = refusedLinkRecorder({ prisma: database.prisma, onAuditRecorded: resources.onAuditRecorded, logger });
  const running = await startSubgraphServer({
    subgraph: auditSubgraph,
    observability: resources.observability,
    host: config.server.host,
    port: config.server.port,
    signingSecret: config.signingSecret,
    logger,
    createContext: createAuditContextFactory({
      onAuditRecorded: resources.onAuditRecorded,
      bursts: resources.bursts,
      prisma: database.prisma,
      organizationAccess: createOrganizationAccess({
        identityUrl: config.identityUrl,
        signingSecret: config.signingSecret,
      }),
      downloads,
      events,
    }),
    checkReady: database.ping,
    jobCounts: () => runner.counts(),
    rateLimitStore: createRateLimitStore({ redisUrl: config.redisUrl, keyPrefix: config.keyPrefix, service: 'audit', logger }),
    onRateLimited: rateLimitRecorder(database.prisma, logger, resources.onAuditRecorded, resources.bursts),
    routes: (request, response) =>
      handleExportDownload(request, response, { prisma: database.prisma, downloads, onForgedLink }),
  });
  return {
    ...running,
    close: async () => {
      await runner.close();
      await running.close();
      await resources.close();
    },
  };
}
