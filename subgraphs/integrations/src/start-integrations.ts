import { openServiceResources, type GivenResources, rateLimitRecorder, startJobRunner } from '@token-nexus/prisma';
import {
  KeyVault,
  createOrganizationAccess,
  createRateLimitStore,
  startSubgraphServer,
  type RunningSubgraph,
} from '@token-nexus/shared';
import type { IntegrationsConfig } from './config.ts';
import { createIntegrationsContextFactory } from './context.ts';
import { handleCredentialRoute } from './credentials/credential-route.ts';
import { revokedCredentialRecorder } from './credentials/revoked-credential-use.ts';
import { integrationsSubgraph } from './index.ts';
import { handleRevocationEndpoint } from './oauth/revocation-endpoint.ts';
import { handleTokenEndpoint } from './oauth/token-endpoint.ts';
import { deliveryHandler, startDispatcher } from './providers/dispatch.ts';

/** Starts the integrations subgraph. `database` and `events` are given when services share a process. */
export async function startIntegrations(
  config: IntegrationsConfig,
  options: GivenResources = {},
): Promise<RunningSubgraph> {
  const resources = await openServiceResources('integrations', config, options);
  const { logger, database, events } = resources;
  const keys = new KeyVault(config.masterKey);
  // Every instance runs delivery jobs and dispatches the webhook outbox (both shared safely).
  const runner = startJobRunner(
    database.prisma,
    [
      deliveryHandler({
        prisma: database.prisma,
        keys,
        allowList: config.webhookAllowList,
        retryScale: config.webhooks.retryScale,
        timeoutMs: config.webhooks.timeoutMs,
      }),
    ],
    { ...config.jobs, redisUrl: config.redisUrl, keyPrefix: config.keyPrefix, logger, observability: { ...resources.observability, service: 'integrations' } },
  );
  const onRevokedUse = revokedCredentialRecorder({ prisma: database.prisma, onAuditRecorded: resources.onAuditRecorded, logger });
  const running = await startSubgraphServer({
    subgraph: integrationsSubgraph,
    observability: resources.observability,
    host: config.server.host,
    port: config.server.port,
    signingSecret: config.signingSecret,
    logger,
    createContext: createIntegrationsContextFactory({
      onAuditRecorded: resources.onAuditRecorded,
      bursts: resources.bursts,
      prisma: database.prisma,
      organizationAccess: createOrganizationAccess({ identityUrl: config.identityUrl, signingSecret: config.signingSecret }),
      events,
      keys,
      webhookAllowList: config.webhookAllowList,
    }),
    checkReady: database.ping,
    jobCounts: () => runner.counts(),
    rateLimitStore: createRateLimitStore({ redisUrl: config.redisUrl, keyPrefix: config.keyPrefix, service: 'integrations', logger }),
    onRateLimited: rateLimitRecorder(database.prisma, logger, resources.onAuditRecorded, resources.bursts),
    routes: async (request, response) =>
      (await handleCredentialRoute(request, response, { prisma: database.prisma, signingSecret: config.signingSecret, onRevokedUse })) ||
      (await handleTokenEndpoint(request, response, { prisma: database.prisma, onAuditRecorded: resources.onAuditRecorded })) ||
      handleRevocationEndpoint(request, response, { prisma: database.prisma, onAuditRecorded: resources.onAuditRecorded }),
  });
  const dispatcher = startDispatcher({ prisma: database.prisma, logger, intervalMs: config.webhooks.dispatchIntervalMs });
  return {
    ...running,
    close: async () => {
      await dispatcher.stop();
      await runner.close();
      await running.close();
      await resources.close();
    },
  };
}
