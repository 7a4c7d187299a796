import sharp from 'sharp';
import { openServiceResources, type GivenResources, rateLimitRecorder, startJobRunner } from '@token-nexus/prisma';
import { createOrganizationAccess, createRateLimitStore, startSubgraphServer, type RunningSubgraph } from '@token-nexus/shared';
import type { MediaConfig } from './config.ts';
import { createMediaContextFactory } from './context.ts';
import { mediaSubgraph } from './index.ts';
import { startUploadSweeper } from './jobs/abandoned-uploads.ts';
import { processMediaHandler } from './jobs/process-media-job.ts';
import { createAssetNotifier } from './providers/asset-updates.ts';
import { handlePublicUrlsRoute } from './providers/public-urls-route.ts';
import { handleReadyAssetsRoute } from './providers/ready-assets-route.ts';
import { createStorage } from './storage/create-storage.ts';
import { handleFolderRoute } from './storage/folder-route.ts';

/** What only the process that starts the whole graph can give. */
export interface MediaStartOptions extends GivenResources {
  /**
   * The graph's public origin (the gateway's), which folder-storage URLs start with, when it
   * is only known after this service started. Else MEDIA_PUBLIC_ORIGIN.
   */
  publicOrigin?: () => string;
}

/**
 * Starts the media subgraph and, on every instance, its processing jobs. On the folder
 * storage it also serves the signed file URLs the gateway passes to it.
 */
export async function startMedia(config: MediaConfig, options: MediaStartOptions = {}): Promise<RunningSubgraph> {
  // sharp's cache keeps decoded images for reuse; each job decodes a different file, so it
  // only grows the process (measured: RSS from 96 to 500+ MB over five 5 MB JPEGs).
  sharp.cache(false);
  const resources = await openServiceResources('media', config, options);
  const { logger, database, events } = resources;
  const prisma = database.prisma;
  const storage = await createStorage(config, options.publicOrigin ?? (() => config.publicOrigin));
  const notify = createAssetNotifier(events, (error) => logger.warn({ err: error }, 'could not tell subscribers about a media asset'));
  const runner = startJobRunner(
    prisma,
    [processMediaHandler({ prisma, storage, limits: config.limits, notify, onAuditRecorded: resources.onAuditRecorded, logger })],
    { ...config.jobs, redisUrl: config.redisUrl, keyPrefix: config.keyPrefix, logger, observability: { ...resources.observability, service: 'media' } },
  );
  const running = await startSubgraphServer({
    subgraph: mediaSubgraph,
    observability: resources.observability,
    host: config.server.host,
    port: config.server.port,
    signingSecret: config.signingSecret,
    logger,
    createContext: createMediaContextFactory({
      prisma,
      organizationAccess: createOrganizationAccess({ identityUrl: config.identityUrl, signingSecret: config.signingSecret }),
      onAuditRecorded: resources.onAuditRecorded,
      bursts: resources.bursts,
      storage,
      limits: config.limits,
      signingSecret: config.signingSecret,
      cmsUrl: config.cmsUrl,
      notifyAssets: notify,
      events,
    }),
    checkReady: database.ping,
    jobCounts: () => runner.counts(),
    rateLimitStore: createRateLimitStore({ redisUrl: config.redisUrl, keyPrefix: config.keyPrefix, service: 'media', logger }),
    onRateLimited: rateLimitRecorder(prisma, logger, resources.onAuditRecorded, resources.bursts),
    routes: async (request, response) =>
      (await handleReadyAssetsRoute(request, response, { prisma, signingSecret: config.signingSecret })) ||
      (await handlePublicUrlsRoute(request, response, { prisma, signingSecret: config.signingSecret, storage })) ||
      (config.storage.kind === 'folder' &&
        handleFolderRoute(request, response, { directory: config.storage.directory, signingSecret: config.urlSecret, maxBytes: config.limits.maxBytes })),
  });
  const sweeper = startUploadSweeper({
    prisma,
    storage,
    onAuditRecorded: resources.onAuditRecorded,
    notify,
    logger,
    intervalMs: config.limits.sweepIntervalMs,
  });
  return {
    ...running,
    close: async () => {
      await sweeper.stop();
      await runner.close();
      await running.close();
      await resources.close();
    },
  };
}
