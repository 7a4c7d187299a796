import { openServiceResources, type GivenResources, rateLimitRecorder } from '@token-nexus/prisma';
import {
  KeyVault,
  createOrganizationAccess,
  createRateLimitStore,
  startSubgraphServer,
  type RunningSubgraph,
} from '@token-nexus/shared';
import type { WorkflowsConfig } from './config.ts';
import { createWorkflowsContextFactory } from './context.ts';
import { workflowsSubgraph } from './index.ts';

/**
 * Starts the workflows subgraph. This part of issue 18 keeps definitions only, so it runs
 * no jobs yet. `database` and `events` are given when services share a process.
 */
export async function startWorkflows(config: WorkflowsConfig, options: GivenResources = {}): Promise<RunningSubgraph> {
  const resources = await openServiceResources('workflows', config, options);
  const { logger, database } = resources;
  const running = await startSubgraphServer({
    subgraph: workflowsSubgraph,
    observability: resources.observability,
    host: config.server.host,
    port: config.server.port,
    signingSecret: config.signingSecret,
    logger,
    createContext: createWorkflowsContextFactory({
      prisma: database.prisma,
      organizationAccess: createOrganizationAccess({ identityUrl: config.identityUrl, signingSecret: config.signingSecret }),
      onAuditRecorded: resources.onAuditRecorded,
      bursts: resources.bursts,
      keys: new KeyVault(config.masterKey),
    }),
    checkReady: database.ping,
    rateLimitStore: createRateLimitStore({ redisUrl: config.redisUrl, keyPrefix: config.keyPrefix, service: 'workflows', logger }),
    onRateLimited: rateLimitRecorder(database.prisma, logger, resources.onAuditRecorded, resources.bursts),
  });
  return {
    ...running,
    close: async () => {
      await running.close();
      await resources.close();
    },
  };
}
