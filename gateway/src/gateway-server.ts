import { createServer } from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import {
  closeServer,
  createCacheTagVersions,
  createLogger,
  createMetricsRegistry,
  createSessionRevocations,
  listen,
  metricsEnabled,
  platformMetrics,
  serviceTracer,
  startMetricsServer,
  subgraphNames,
  urlHost,
  type CacheTagVersions,
  type SessionRevocations,
  type SubgraphName,
} from '@token-nexus/shared';
import { specifiedRules } from 'graphql';
import type { Registry } from 'prom-client';
import { createApolloServer } from './apollo-server.ts';
import { createApiUsageMeter } from './usage/api-usage-meter.ts';
import { apiUsagePlugin } from './usage/api-usage-plugin.ts';
import { createFetchCache } from './cache/create-fetch-cache.ts';
import { identityMemberships } from './cache/identity-memberships.ts';
import { gatewayMetricsPlugin } from './metrics/gateway-metrics-plugin.ts';
import { metricsRoute } from './metrics/metrics-route.ts';
import { authenticate } from './auth/authenticate.ts';
import { createCredentialVerifier } from './auth/credential-verifier.ts';
import { createAccessTokenVerifier } from './auth/verified-access-tokens.ts';
import type { ExplorerMode, GatewayConfig } from './config.ts';
import type { GatewayContext } from './context.ts';
import { defaultExplorerDistDir } from './explorer/explorer-files.ts';
import { explorerRoutes } from './explorer/explorer-route.ts';
import { healthRoutes } from './health.ts';
import { clientAddress } from './http/client-address.ts';
import { downloadRoute } from './http/download-proxy.ts';
import { graphqlRoute } from './http/graphql-route.ts';
import { oauthRoute } from './http/oauth-proxy.ts';
import { createSitePages } from './sites/site-pages.ts';
import { sitesRoute } from './sites/sites-route.ts';
import { workflowHooksRoute } from './http/workflow-hooks-proxy.ts';
import { mediaFilesRoute } from './http/media-proxy.ts';
import { openApiRoute } from './openapi/openapi-route.ts';
import { createRequestListener, type Route } from './http/router.ts';
import { apolloOperationLimits } from './operation-limits/apollo-operation-limits.ts';
import { SignedDataSource, createSubgraphAgent } from './signed-data-source.ts';
import { createLiveSupergraph, type ReloadOutcome } from './supergraph/live-supergraph.ts';
import { createSseEndpoint } from './subscriptions/sse-endpoint.ts';
import { sseRoute } from './subscriptions/sse-route.ts';
import { SharedCompletions, sharedCompletionDefaults } from './subscriptions/shared-completions.ts';
import { SharedUpstreams } from './subscriptions/shared-upstreams.ts';
import { createSubscriptionEngine } from './subscriptions/subscribe.ts';
import { createSubscriptionMetrics } from './subscriptions/subscription-metrics.ts';
import { SubscriptionCounter } from './subscriptions/subscription-limits.ts';
import { attachWebSocketEndpoint } from './subscriptions/websocket-server.ts';

export interface RunningGateway {
  /** The GraphQL endpoint (and the explorer, for browsers), e.g. http://127.0.0.1:4000/graphql */
  url: string;
  port: number;
  /** The METRICS_PORT listener's port (null without one). */
  metricsPort: number | null;
  /** What a browser opening `url` gets: GraphiQL, Apollo Sandbox or nothing (EXPLORER). */
  explorer: ExplorerMode;
  /**
   * Reads the supergraph file again and, if it changed and composes, serves it; open
   * subscriptions end with SCHEMA_RELOADED. Also on SIGHUP (see main.ts).
   */
  reloadSupergraph(): Promise<ReloadOutcome>;
  close(): Promise<void>;
}

/**
 * Starts the gateway: one HTTP endpoint for the whole graph. It authenticates every
 * request, plans it over the subgraphs with @apollo/gateway, signs what it sends them,
 * masks unexpected errors and stamps every response with the request id.
 */
export async function startGateway(
  config: GatewayConfig,
  options: { revocations?: SessionRevocations; cacheVersions?: CacheTagVersions; metrics?: Registry } = {},
): Promise<RunningGateway> {
  const logger = createLogger('gateway', config.logLevel);
  const redisSettings = { redisUrl: config.redisUrl, keyPrefix: config.keyPrefix, service: 'gateway', logger };
  // Asked on every signed-in request: kept in this process, fed by Redis.
  const revocations = options.revocations ?? createSessionRevocations({ ...redisSettings, mirrored: true });
  const cacheVersions = options.cacheVersions ?? createCacheTagVersions(redisSettings);
  // Given when the whole graph shares one process (one registry, served here for all).
  const metrics = options.metrics ?? createMetricsRegistry({ enabled: config.metrics.enabled });
  const recorded = platformMetrics(metrics);
  const tracer = serviceTracer('gateway', config.tracing);
  const agent = createSubgraphAgent();
  const fetchCache = createFetchCache({
    ...config.cache,
    ...redisSettings,
    versions: cacheVersions,
    registry: metrics,
    memberships: identityMemberships({
      identityUrl: config.subgraphUrls.identity,
      signingSecret: config.signingSecret,
      agent,
      timeoutMs: config.subgraphTimeoutMs,
    }),
  });
  const subgraphUrls: Record<SubgraphName, string> = config.subgraphUrls;
  // Subscriptions planned on a graph that is replaced end (their plans are stale).
  let endSubscriptions = () => 0;
  const subscriptionMetrics = createSubscriptionMetrics(metrics);
  const supergraph = createLiveSupergraph({
    path: config.supergraphPath,
    logger,
    metrics: subscriptionMetrics,
    onReloaded: () => {
      const ended = endSubscriptions();
      logger.info({ ended }, 'subscriptions on the previous graph ended');
    },
  });
  // One data source per subgraph, shared by query plans and subscription events.
  const dataSources = Object.fromEntries(
    subgraphNames.map((name) => [
      name,
      new SignedDataSource({
        name,
        cache: fetchCache.cache,
        url: subgraphUrls[name],
        signingSecret: config.signingSecret,
        agent,
        timeoutMs: config.subgraphTimeoutMs,
        metrics: recorded,
        tracer,
      }),
    ]),
  ) as Record<SubgraphName, SignedDataSource>;
  const gateway = new ApolloGateway({
    supergraphSdl: supergraph.hook,
    buildService: ({ name }) => dataSources[name as SubgraphName],
  });
  const limits = apolloOperationLimits<GatewayContext>(config.operationLimits, { assumedListSizes: supergraph.listSizes });
  const usage = createApiUsageMeter({
    analyticsUrl: subgraphUrls.analytics,
    signingSecret: config.signingSecret,
    agent,
    logger,
    flushIntervalMs: config.apiUsageFlushMs,
  });
  // With METRICS=off nothing would be recorded: the metrics plugin's hooks are left out of every request.
  const plugins = [apiUsagePlugin(usage), ...(metricsEnabled(metrics) ? [gatewayMetricsPlugin(recorded)] : [])];
  const apollo = createApolloServer({ gateway, config, limits, logger, plugins });
  await apollo.start();

  const planner = supergraph.planner;
  const engine = createSubscriptionEngine({
    planner,
    subgraphUrls,
    signingSecret: config.signingSecret,
    serviceMap: dataSources,
    queueCapacity: config.subscriptions.queueSize,
    completions: new SharedCompletions(sharedCompletionDefaults, subscriptionMetrics),
    upstreams: new SharedUpstreams(subscriptionMetrics),
    metrics: recorded,
  });
  endSubscriptions = engine.endAll;
  const stopWatching = config.supergraphPollSeconds > 0 ? supergraph.watch(config.supergraphPollSeconds) : () => {};
  const counter = new SubscriptionCounter(config.subscriptions, recorded.activeSubscriptions);
  const subscriptionRules = [...specifiedRules, ...limits.validationRules];
  const credentials = createCredentialVerifier({ integrationsUrl: subgraphUrls.integrations, workflowsUrl: subgraphUrls.workflows, signingSecret: config.signingSecret, agent });
  const accessTokens = createAccessTokenVerifier(config.accessTokenSecret);
  const authenticateBearer = (authorization: string | undefined) =>
    authenticate(authorization, accessTokens, revocations, logger, credentials);
  const streams = sseRoute({
    serveStream: createSseEndpoint({ planner, engine, counter, validationRules: subscriptionRules, logger }),
    authenticate: authenticateBearer,
    bodyLimitBytes: config.bodyLimitBytes,
    trustedProxyHops: config.trustedProxyHops,
  });
  const routes: Route[] = [
    streams,
    // Before the GraphQL route: a browser's GET /graphql is the explorer's.
    ...(config.explorer === 'on' ? explorerRoutes({ distDir: defaultExplorerDistDir }) : []),
    graphqlRoute({
      apollo,
      authenticate: authenticateBearer,
      bodyLimitBytes: config.bodyLimitBytes,
      maxBatchSize: config.operationLimits.maxBatchSize,
      trustedProxyHops: config.trustedProxyHops,
      production: config.production,
      apolloLandingPage: config.explorer === 'sandbox',
      metrics: recorded,
      tracer,
    }),
    downloadRoute(subgraphUrls, agent),
    oauthRoute(subgraphUrls.integrations, config.bodyLimitBytes),
    workflowHooksRoute(subgraphUrls.workflows),
    mediaFilesRoute(subgraphUrls.media),
    sitesRoute({
      sitePages: createSitePages({ cmsUrl: subgraphUrls.cms, signingSecret: config.signingSecret, agent, timeoutMs: config.subgraphTimeoutMs }),
      sitesBaseUrl: config.sitesBaseUrl,
      trustedProxyHops: config.trustedProxyHops,
    }),
    ...healthRoutes(subgraphUrls, agent, revocations, fetchCache.cache ? cacheVersions : null),
    openApiRoute(),
    metricsRoute(metrics, config.metrics),
  ];
  const requests = createRequestListener({ routes, logger, corsOrigins: config.corsOrigins, production: config.production });
  const server = createServer(requests.listener);
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const websockets = attachWebSocketEndpoint(server, {
    path: '/graphql',
    planner,
    engine,
    counter,
    apollo,
    validationRules: subscriptionRules,
    authenticate: authenticateBearer,
    clientAddress: (request) => clientAddress(request, config.trustedProxyHops),
    logger,
    connectionsGauge: recorded.websocketConnections,
  });

  const port = await listen(server, config.server.port, config.server.host, 'PORT');
  const metricsServer =
    config.metrics.enabled && config.metrics.port !== undefined ? await startMetricsServer(metrics, { host: config.server.host, port: config.metrics.port }) : null;
  const url = `http://${urlHost(config.server.host)}:${port}/graphql`;
  logger.info({ url }, 'gateway listening');
  return {
    url,
    port,
    metricsPort: metricsServer?.port ?? null,
    explorer: config.explorer,
    reloadSupergraph: () => supergraph.reload(),
    close: async () => {
      stopWatching();
      // Long-lived connections first: subscriptions end, then in-flight requests drain.
      const webSockets = await websockets.close();
      const sseStreams = streams.close();
      const requestsInFlight = requests.inFlight();
      await closeServer(server);
      await metricsServer?.close();
      logger.info({ webSockets, sseStreams, requestsInFlight }, 'gateway stopped: subscriptions ended, requests in flight answered');
      await apollo.stop();
      await usage.close();
      await agent.close();
      if (!options.revocations) await revocations.close();
      await fetchCache.close();
      if (!options.cacheVersions) await cacheVersions.close();
    },
  };
}
