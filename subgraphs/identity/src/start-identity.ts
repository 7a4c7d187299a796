import { openServiceResources, type GivenResources, rateLimitRecorder, startJobRunner } from '@token-nexus/prisma';
import {
  createMailer,
  createRateLimitStore,
  createSessionRevocations,
  startSubgraphServer,
  type RunningSubgraph,
  type SessionRevocations,
  mailSendJob,
  sendMailJobRun,
} from '@token-nexus/shared';
import type { IdentityConfig } from './config.ts';
import { createIdentityContextFactory } from './context.ts';
import { identitySubgraph } from './index.ts';
import { notifyAdminsHandler } from './jobs/notify-admins.ts';

/**
 * Starts the identity subgraph. `database`, `revocations`, `events` and `cacheVersions`
 * are given when several services share one process (the quick start, the tests);
 * otherwise it opens its own from the config.
 */
export async function startIdentity(
  config: IdentityConfig,
  options: GivenResources & { revocations?: SessionRevocations } = {},
): Promise<RunningSubgraph> {
  const resources = await openServiceResources('identity', config, options);
  const { logger, database, events } = resources;
  const revocations =
    options.revocations ?? createSessionRevocations({ redisUrl: config.redisUrl, keyPrefix: config.keyPrefix, service: 'identity', logger });
  // Emails are jobs: sent in the background, retried while the relay is away. Identity
  // runs them all, other services' notices to admins included: it knows the addresses.
  const mailer = createMailer(config.mail);
  const handlers = [
    { definition: mailSendJob, run: sendMailJobRun(mailer, logger) },
    notifyAdminsHandler(database.prisma, config.dashboardUrl),
  ];
  const runner = startJobRunner(database.prisma, handlers, {
    ...config.jobs,
    redisUrl: config.redisUrl,
    keyPrefix: config.keyPrefix,
    observability: { ...resources.observability, service: 'identity' },
    logger,
  });
  const running = await startSubgraphServer({
    subgraph: identitySubgraph,
    observability: resources.observability,
    host: config.server.host,
    port: config.server.port,
    signingSecret: config.signingSecret,
    logger,
    createContext: createIdentityContextFactory({
      prisma: database.prisma,
      auth: config.auth,
      revocations,
      events,
      onAuditRecorded: resources.onAuditRecorded,
      bursts: resources.bursts,
      dashboardUrl: config.dashboardUrl,
    }),
    checkReady: database.ping,
    jobCounts: () => runner.counts(),
    rateLimitStore: createRateLimitStore({ redisUrl: config.redisUrl, keyPrefix: config.keyPrefix, service: 'identity', logger }),
    onRateLimited: rateLimitRecorder(database.prisma, logger, resources.onAuditRecorded, resources.bursts),
  });
  return {
    ...running,
    close: async () => {
      await runner.close();
      await mailer.close();
      await running.close();
      if (!options.revocations) await revocations.close();
      await resources.close();
    },
  };
}
