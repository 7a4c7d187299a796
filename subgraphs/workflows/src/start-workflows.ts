import { openServiceResources, type GivenResources, rateLimitRecorder, startJobRunner } from '@token-nexus/prisma';
import {
  KeyVault,
  createOrganizationAccess,
  createRateLimitStore,
  startSubgraphServer,
  type RunningSubgraph,
} from '@token-nexus/shared';
import type { WorkflowsConfig } from './config.ts';
import { createWorkflowsContextFactory } from './context.ts';
import { handleStepCredentialRoute } from './credentials/credential-route.ts';
import { startEventTrigger } from './engine/event-trigger.ts';
import { attemptFromDatabase, createGraphClient } from './engine/graph-client.ts';
import { createRunNotifier } from './engine/run-updates.ts';
import { startScheduleKeeper } from './engine/schedule-keeper.ts';
import { stepJobHandler } from './engine/step-job.ts';
import { handleInboundRoute } from './inbound/inbound-route.ts';
import { workflowsSubgraph } from './index.ts';

/** What only the process that starts the whole graph can give. */
export interface WorkflowsStartOptions extends GivenResources {
  /**
   * The gateway's GraphQL URL for `graphql` and `aiPrompt` steps, when it is only known
   * after this service started (the gateway listens last). Else GATEWAY_URL.
   */
  gatewayUrl?: () => string | undefined;
}

/**
 * Starts the workflows subgraph and, on every instance, its engine: the step jobs (on the
 * platform job runner), the event trigger reading the event outbox, and the schedule
 * keeper. `database` and `events` are given when services share a process.
 */
export async function startWorkflows(config: WorkflowsConfig, options: WorkflowsStartOptions = {}): Promise<RunningSubgraph> {
  const resources = await openServiceResources('workflows', config, options);
  const { logger, database, events } = resources;
  const prisma = database.prisma;
  const keys = new KeyVault(config.masterKey);
  const organizationAccess = createOrganizationAccess({ identityUrl: config.identityUrl, signingSecret: config.signingSecret });
  const notify = createRunNotifier(events, (error) => logger.warn({ err: error }, 'could not tell subscribers about a workflow run'));
  const settings = config.engine;
  const runner = startJobRunner(
    prisma,
    [
      stepJobHandler({
        prisma,
        settings,
        notify,
        logger,
        steps: {
          logger,
          keys,
          httpAllowList: settings.httpAllowList,
          graphql: createGraphClient({
            masterKey: config.masterKey,
            gatewayUrl: options.gatewayUrl ?? (() => config.gatewayUrl),
            organizationAccess,
            attemptOf: attemptFromDatabase(prisma),
          }),
        },
      }),
    ],
    { ...config.jobs, redisUrl: config.redisUrl, keyPrefix: config.keyPrefix, logger, observability: { ...resources.observability, service: 'workflows' } },
  );
  const running = await startSubgraphServer({
    subgraph: workflowsSubgraph,
    observability: resources.observability,
    host: config.server.host,
    port: config.server.port,
    signingSecret: config.signingSecret,
    logger,
    createContext: createWorkflowsContextFactory({
      prisma,
      organizationAccess,
      onAuditRecorded: resources.onAuditRecorded,
      bursts: resources.bursts,
      keys,
      engine: settings,
      notifyRuns: notify,
      events,
    }),
    checkReady: database.ping,
    jobCounts: () => runner.counts(),
    rateLimitStore: createRateLimitStore({ redisUrl: config.redisUrl, keyPrefix: config.keyPrefix, service: 'workflows', logger }),
    onRateLimited: rateLimitRecorder(prisma, logger, resources.onAuditRecorded, resources.bursts),
    routes: async (request, response) =>
      (await handleStepCredentialRoute(request, response, { prisma, signingSecret: config.signingSecret, masterKey: config.masterKey })) ||
      handleInboundRoute(request, response, { prisma, keys, settings, notify, logger }),
  });
  const eventTrigger = startEventTrigger({ prisma, settings, logger, notify });
  const scheduleKeeper = startScheduleKeeper({ prisma, settings, logger, notify });
  return {
    ...running,
    close: async () => {
      await scheduleKeeper.stop();
      await eventTrigger.stop();
      await runner.close();
      await running.close();
      await resources.close();
    },
  };
}
