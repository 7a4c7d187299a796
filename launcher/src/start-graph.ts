import { loadAiConfig, startAi } from '@token-nexus/ai';
import { loadAnalyticsConfig, startAnalytics } from '@token-nexus/analytics';
import { loadAuditConfig, startAudit } from '@token-nexus/audit';
import { loadCmsConfig, startCms } from '@token-nexus/cms';
import { loadIdentityConfig, startIdentity } from '@token-nexus/identity';
import { loadIntegrationsConfig, startIntegrations } from '@token-nexus/integrations';
import { loadTokensConfig, startTokens } from '@token-nexus/tokens';
import { loadWorkflowsConfig, startWorkflows } from '@token-nexus/workflows';
import { loadMediaConfig, startMedia } from '@token-nexus/media';
import { openDatabase, type Database } from '@token-nexus/prisma';
import {
  createEventBus,
  createLogger,
  createMetricsRegistry,
  createCacheTagVersions,
  createSessionRevocations,
  subgraphUrlVariable,
  type Environment,
  type RunningSubgraph,
  type SubgraphName,
} from '@token-nexus/shared';
import { loadGatewayConfig, startGateway, type RunningGateway } from '@token-nexus/gateway';

export interface RunningGraph {
  gateway: RunningGateway;
  subgraphs: Record<SubgraphName, RunningSubgraph>;
  database: Database;
  close(): Promise<void>;
}

/**
 * Runs the whole graph in one process: every subgraph on its own port, then the gateway
 * pointed at them. This is the quick start (`pnpm start`) and the test harness; in
 * production each service runs as its own process (see compose.yaml) with the same code.
 *
 * The subgraphs share one database connection pool here, which is also what lets them
 * share the embedded database (PGlite belongs to a single process).
 */
export async function startGraph(
  env: Environment,
  options: { onQuery?: (sql: string) => void; migrate?: boolean } = {},
): Promise<RunningGraph> {
  const identityConfig = loadIdentityConfig(env);
  // Read before anything starts, to fail fast; the subgraph URLs are only known once they
  // listen, so these are read again below with them.
  const placeholders: Record<SubgraphName, string> = {
    identity: 'http://127.0.0.1/graphql',
    audit: 'http://127.0.0.1/graphql',
    cms: 'http://127.0.0.1/graphql',
    tokens: 'http://127.0.0.1/graphql',
    ai: 'http://127.0.0.1/graphql',
    integrations: 'http://127.0.0.1/graphql',
    analytics: 'http://127.0.0.1/graphql',
    workflows: 'http://127.0.0.1/graphql',
    media: 'http://127.0.0.1/graphql',
  };
  loadAuditConfig(withSubgraphUrls(env, placeholders));
  loadCmsConfig(withSubgraphUrls(env, placeholders));
  loadTokensConfig(withSubgraphUrls(env, placeholders));
  loadAiConfig(withSubgraphUrls(env, placeholders));
  loadIntegrationsConfig(withSubgraphUrls(env, placeholders));
  loadAnalyticsConfig(withSubgraphUrls(env, placeholders));
  loadWorkflowsConfig(withSubgraphUrls(env, placeholders));
  loadMediaConfig(withSubgraphUrls(env, placeholders));
  loadGatewayConfig(withSubgraphUrls(env, placeholders));
  const database = await openDatabase(
    identityConfig.database,
    options.onQuery ? { onQuery: options.onQuery } : {},
  );
  // One list of ended sessions for the process: in memory, the gateway and identity
  // can only share it because they run in the same process here. With Redis, mirrored
  // in the process for the gateway, which asks it on every request.
  const logger = createLogger('graph', identityConfig.logLevel);
  const revocations = createSessionRevocations({
    redisUrl: identityConfig.redisUrl,
    keyPrefix: identityConfig.keyPrefix,
    service: 'graph',
    logger,
    mirrored: true,
  });
  // Likewise one event bus: in memory it only connects services of the same process.
  const events = createEventBus({
    redisUrl: identityConfig.redisUrl,
    channelPrefix: identityConfig.keyPrefix,
    logger,
  });
  // And one store of cache tag versions, which the gateway reads and every subgraph bumps.
  const cacheVersions = createCacheTagVersions({
    redisUrl: identityConfig.redisUrl,
    keyPrefix: identityConfig.keyPrefix,
    service: 'graph',
    logger,
  });
  // And one metrics registry: the gateway's /metrics (and METRICS_PORT) serve every service's.
  const metrics = createMetricsRegistry({ enabled: identityConfig.metrics.enabled });
  const shared = { database, events, cacheVersions, metrics };
  const started: { close(): Promise<void> }[] = [revocations, events, cacheVersions];
  try {
    if (options.migrate ?? true) await database.migrate();
    const identity = await startIdentity(identityConfig, { ...shared, revocations });
    started.push(identity);
    const audit = await startAudit(
      loadAuditConfig(withSubgraphUrls(env, { ...placeholders, identity: identity.url })),
      shared,
    );
    started.push(audit);
    // URLs known only once later services listen (media's, the gateway's): read when used.
    const late: { gatewayUrl?: string; mediaUrl?: string } = {};
    // It asks media whether the assets a page names are READY; media starts after it.
    const cms = await startCms(
      loadCmsConfig(withSubgraphUrls(env, { ...placeholders, identity: identity.url })),
      { ...shared, mediaUrl: () => late.mediaUrl ?? placeholders.media },
    );
    started.push(cms);
    const tokens = await startTokens(
      loadTokensConfig(withSubgraphUrls(env, { ...placeholders, identity: identity.url })),
      shared,
    );
    started.push(tokens);
    // The assistant's tools read the other subgraphs, so it starts once they listen.
    const ai = await startAi(
      loadAiConfig(withSubgraphUrls(env, { ...placeholders, identity: identity.url, audit: audit.url, cms: cms.url, tokens: tokens.url })),
      shared,
    );
    started.push(ai);
    const integrations = await startIntegrations(
      loadIntegrationsConfig(withSubgraphUrls(env, { ...placeholders, identity: identity.url })),
      shared,
    );
    started.push(integrations);
    const analytics = await startAnalytics(
      loadAnalyticsConfig(withSubgraphUrls(env, { ...placeholders, identity: identity.url, cms: cms.url })),
      shared,
    );
    started.push(analytics);
    // Its graphql steps call the gateway, which listens last: they read its URL when they run.
    const workflows = await startWorkflows(
      loadWorkflowsConfig(withSubgraphUrls(env, { ...placeholders, identity: identity.url })),
      { ...shared, gatewayUrl: () => late.gatewayUrl },
    );
    started.push(workflows);
    // Its folder storage's URLs are the gateway's (which serves them): read when made.
    const media = await startMedia(
      loadMediaConfig(withSubgraphUrls(env, { ...placeholders, identity: identity.url, cms: cms.url })),
      { ...shared, publicOrigin: () => (late.gatewayUrl ? new URL(late.gatewayUrl).origin : 'http://127.0.0.1:4000') },
    );
    started.push(media);
    late.mediaUrl = media.url;
    const urls = {
      identity: identity.url,
      audit: audit.url,
      cms: cms.url,
      tokens: tokens.url,
      ai: ai.url,
      integrations: integrations.url,
      analytics: analytics.url,
      workflows: workflows.url,
      media: media.url,
    };
    const gateway = await startGateway(loadGatewayConfig(withSubgraphUrls(env, urls)), { revocations, cacheVersions, metrics });
    started.push(gateway);
    late.gatewayUrl = gateway.url;
    return {
      gateway,
      subgraphs: { identity, audit, cms, tokens, ai, integrations, analytics, workflows, media },
      database,
      close: async () => {
        for (const service of started.reverse()) await service.close();
        await database.close();
      },
    };
  } catch (error) {
    for (const service of started.reverse()) await service.close();
    await database.close();
    throw error;
  }
}

/** The environment with each subgraph's URL variable (e.g. IDENTITY_URL) set. */
function withSubgraphUrls(env: Environment, urls: Record<SubgraphName, string>): Environment {
  return {
    ...env,
    ...Object.fromEntries(
      Object.entries(urls).map(([name, url]) => [subgraphUrlVariable(name as SubgraphName), url]),
    ),
  };
}
