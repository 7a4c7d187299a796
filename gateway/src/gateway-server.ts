import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import {
  ApiError,
  BodyTooLargeError,
  closeServer,
  createLogger,
  errorLoggingPlugin,
  executeApolloRequest,
  isErrorCode,
  listen,
  readBody,
  sendGraphQLError,
  sendJson,
  urlHost,
  createSessionRevocations,
  subgraphNames,
  type SessionRevocations,
  type SubgraphName,
} from '@token-nexus/shared';
import { specifiedRules } from 'graphql';
import { authenticate } from './auth/authenticate.ts';
import { createCredentialVerifier } from './auth/credential-verifier.ts';
import { oauthEndpointPaths, proxyOAuthEndpoint } from './http/oauth-proxy.ts';
import type { GatewayConfig } from './config.ts';
import type { GatewayContext } from './context.ts';
import { gatewayErrorFormatter } from './errors/format-gateway-error.ts';
import { checkReadiness } from './health.ts';
import { batchSizeOf } from './http/batch-size.ts';
import { clientAddress } from './http/client-address.ts';
import { applyCors } from './http/cors.ts';
import { downloadRoutes, proxyDownload } from './http/download-proxy.ts';
import { requestIdFrom, requestIdHeader } from './http/request-id.ts';
import { operationLogPlugin } from './operation-log-plugin.ts';
import { apolloOperationLimits } from './operation-limits/apollo-operation-limits.ts';
import { operationLimitError } from './operation-limits/operation-limit-error.ts';
import { rateLimitHeadersPlugin } from './rate-limit-headers.ts';
import { SignedDataSource, createSubgraphAgent } from './signed-data-source.ts';
import { createLiveSupergraph, type ReloadOutcome } from './supergraph/live-supergraph.ts';
import { createSseEndpoint } from './subscriptions/sse-endpoint.ts';
import { createSubscriptionEngine } from './subscriptions/subscribe.ts';
import { SubscriptionCounter } from './subscriptions/subscription-limits.ts';
import { attachWebSocketEndpoint } from './subscriptions/websocket-server.ts';

export interface RunningGateway {
  /** The GraphQL endpoint (and Sandbox), e.g. http://127.0.0.1:4000/graphql */
  url: string;
  port: number;
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
  options: { revocations?: SessionRevocations } = {},
): Promise<RunningGateway> {
  const logger = createLogger('gateway', config.logLevel);
  const revocations = options.revocations ?? createSessionRevocations(config.redisUrl, 'gateway', logger);
  const agent = createSubgraphAgent();
  const subgraphUrls: Record<SubgraphName, string> = config.subgraphUrls;
  // Subscriptions planned on a graph that is replaced end (their plans are stale).
  let endSubscriptions = () => 0;
  const supergraph = createLiveSupergraph({
    path: config.supergraphPath,
    logger,
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
        url: subgraphUrls[name],
        signingSecret: config.signingSecret,
        agent,
        timeoutMs: config.subgraphTimeoutMs,
      }),
    ]),
  ) as Record<SubgraphName, SignedDataSource>;
  const gateway = new ApolloGateway({
    supergraphSdl: supergraph.hook,
    buildService: ({ name }) => dataSources[name as SubgraphName],
  });
  const limits = apolloOperationLimits<GatewayContext>(config.operationLimits);
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    introspection: !config.production,
    includeStacktraceInErrorResponses: false,
    // Shutdown is ours to order (servers, then the database); Apollo must not act on signals.
    stopOnTerminationSignals: false,
    // A JSON array body runs each operation through every limit; its length is capped
    // (MAX_BATCH_SIZE) before Apollo sees it, in handleGraphQL.
    allowBatchedHttpRequests: true,
    parseOptions: limits.parseOptions,
    validationRules: limits.validationRules,
    // With introspection off, "Did you mean …?" would still map the schema name by name.
    validationOptions: { hideSuggestions: config.production },
    formatError: gatewayErrorFormatter(config.production),
    // Automatic persisted queries stay on, in Apollo's default in-memory cache; a query is
    // stored only once it has passed every limit.
    plugins: [
      config.production
        ? ApolloServerPluginLandingPageDisabled()
        : ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false }),
      errorLoggingPlugin<GatewayContext>(logger),
      operationLogPlugin(),
      ...limits.plugins,
      rateLimitHeadersPlugin(),
    ],
  });
  await apollo.start();

  const planner = supergraph.planner;
  const engine = createSubscriptionEngine({
    planner,
    subgraphUrls,
    signingSecret: config.signingSecret,
    serviceMap: dataSources,
    queueCapacity: config.subscriptions.queueSize,
  });
  endSubscriptions = engine.endAll;
  const stopWatching = config.supergraphPollSeconds > 0 ? supergraph.watch(config.supergraphPollSeconds) : () => {};
  const counter = new SubscriptionCounter(config.subscriptions);
  const subscriptionRules = [...specifiedRules, ...limits.validationRules];
  const credentials = createCredentialVerifier({
    integrationsUrl: subgraphUrls.integrations,
    signingSecret: config.signingSecret,
  });
  const authenticateBearer = (authorization: string | undefined) =>
    authenticate(authorization, config.accessTokenSecret, revocations, logger, credentials);
  const serveStream = createSseEndpoint({ planner, engine, counter, validationRules: subscriptionRules, logger });
  const openStreams = new Set<ServerResponse>();

  /** `POST /graphql/stream`: a subscription as Server-Sent Events (graphql-sse). */
  const handleStream = async (request: IncomingMessage, response: ServerResponse, requestId: string) => {
    if (request.method !== 'POST') {
      sendGraphQLError(response, 'BAD_USER_INPUT', 'Use POST.', { requestId }, 405);
      return;
    }
    const body = await readBody(request, config.bodyLimitBytes);
    const actor = await authenticateBearer(request.headers.authorization);
    const userAgent = request.headers['user-agent'];
    openStreams.add(response);
    try {
      await serveStream(request, response, body.toString('utf8'), {
        actor,
        clientIp: clientAddress(request, config.trustedProxyHops),
        userAgent: userAgent ? userAgent.slice(0, 512) : null,
      });
    } finally {
      openStreams.delete(response);
    }
  };

  const handleGraphQL = async (
    request: IncomingMessage,
    response: ServerResponse,
    context: Omit<GatewayContext, 'claims'>,
  ) => {
    if (request.method !== 'GET' && request.method !== 'POST') {
      sendGraphQLError(response, 'BAD_USER_INPUT', 'Use GET or POST.', { requestId: context.requestId }, 405);
      return;
    }
    const body = request.method === 'POST' ? await readBody(request, config.bodyLimitBytes) : undefined;
    const batchSize = body ? batchSizeOf(body) : null;
    if (batchSize !== null) {
      context.log.batchSize = batchSize;
      const { maxBatchSize } = config.operationLimits;
      if (batchSize > maxBatchSize) {
        // Refused whole, before authentication or any operation runs.
        const refusal = operationLimitError(
          'MAX_BATCH_SIZE',
          maxBatchSize,
          `The request holds too many operations (${batchSize})`,
        );
        context.log.error = { code: 'BAD_USER_INPUT', message: refusal.message };
        context.log.limit = 'MAX_BATCH_SIZE';
        const message = config.production ? 'The request holds too many operations.' : refusal.message;
        sendGraphQLError(response, 'BAD_USER_INPUT', message, { requestId: context.requestId }, 400);
        return;
      }
    }
    const actor = await authenticate(
      request.headers.authorization,
      config.accessTokenSecret,
      revocations,
      context.logger,
      credentials,
    );
    const userAgent = request.headers['user-agent'];
    const gatewayContext: GatewayContext = {
      ...context,
      claims: {
        v: 1,
        actor,
        requestId: context.requestId,
        clientIp: clientAddress(request, config.trustedProxyHops),
        userAgent: userAgent ? userAgent.slice(0, 512) : null,
      },
    };
    await executeApolloRequest(apollo, request, response, body, async () => gatewayContext);
  };

  const server = createServer((request, response) => {
    const startedAt = performance.now();
    const requestId = requestIdFrom(request.headers[requestIdHeader]);
    response.setHeader(requestIdHeader, requestId);
    const log: GatewayContext['log'] = {};
    const requestLogger = logger.child({ requestId });
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    response.on('finish', () => {
      if (path.startsWith('/health/')) return;
      // A request refused by a limit is a warning: a client's mistake, or someone probing.
      requestLogger[log.limit ? 'warn' : 'info'](
        {
          method: request.method,
          path,
          status: response.statusCode,
          durationMs: Math.round((performance.now() - startedAt) * 10) / 10,
          ...log,
        },
        'request',
      );
    });
    if (applyCors(request, response, config.corsOrigins)) return;

    let route: Promise<void>;
    if (path === '/graphql/stream') {
      route = handleStream(request, response, requestId);
    } else if (path === '/graphql') {
      route = handleGraphQL(request, response, {
        requestId,
        logger: requestLogger,
        log,
        rateLimit: { report: null },
      });
    } else if (downloadRoutes.some((download) => path.startsWith(download.publicPrefix))) {
      const download = downloadRoutes.find((candidate) => path.startsWith(candidate.publicPrefix))!;
      const id = path.slice(download.publicPrefix.length);
      const search = new URL(request.url ?? '/', 'http://localhost').search;
      // Only an id may follow the prefix: nothing that could lead elsewhere on the subgraph.
      route = !/^[A-Za-z0-9-]{1,64}$/.test(id)
        ? Promise.resolve(sendJson(response, 404, { error: 'not found', requestId }))
        : request.method !== 'GET'
          ? Promise.resolve(sendJson(response, 405, { error: 'use GET', requestId }))
          : proxyDownload(
              request,
              response,
              new URL(`${download.targetPrefix}${id}${search}`, subgraphUrls[download.subgraph]),
              agent,
            );
    } else if (oauthEndpointPaths.includes(path)) {
      // The OAuth endpoints belong to integrations (it owns apps and tokens); they speak
      // OAuth's form-encoded protocol, not GraphQL, so they are passed through as they are.
      route = proxyOAuthEndpoint(request, response, {
        target: new URL(path, subgraphUrls.integrations),
        bodyLimitBytes: config.bodyLimitBytes,
        requestId,
      });
    } else if (path === '/health/live') {
      route = Promise.resolve(sendJson(response, 200, { status: 'ok' }));
    } else if (path === '/health/ready') {
      route = checkReadiness(subgraphUrls, agent, revocations).then((readiness) =>
        sendJson(response, readiness.ready ? 200 : 503, readiness.body),
      );
    } else {
      route = Promise.resolve(sendJson(response, 404, { error: 'not found', requestId }));
    }
    route.catch((error: unknown) => {
      if (response.headersSent) {
        response.destroy();
      } else if (error instanceof BodyTooLargeError) {
        const reason = `The request body is too large: BODY_LIMIT_BYTES allows ${error.limitBytes} bytes.`;
        log.error = { code: 'BAD_USER_INPUT', message: reason };
        log.limit = 'BODY_LIMIT_BYTES';
        const message = config.production ? 'The request body is too large.' : reason;
        sendGraphQLError(response, 'BAD_USER_INPUT', message, { requestId }, 413);
      } else if (error instanceof ApiError && isErrorCode(error.extensions.code)) {
        const code = error.extensions.code;
        log.error = { code, message: error.message };
        if (code === 'UNAUTHENTICATED') {
          response.setHeader('www-authenticate', 'Bearer error="invalid_token"');
        }
        sendGraphQLError(response, code, error.message, { requestId });
      } else {
        requestLogger.error({ err: error }, 'request failed');
        sendGraphQLError(response, 'INTERNAL_SERVER_ERROR', 'Internal server error', { requestId });
      }
    });
  });
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
  });

  const port = await listen(server, config.server.port, config.server.host);
  const url = `http://${urlHost(config.server.host)}:${port}/graphql`;
  logger.info({ url }, 'gateway listening');
  return {
    url,
    port,
    reloadSupergraph: () => supergraph.reload(),
    close: async () => {
      stopWatching();
      // Long-lived connections first: subscriptions end, then in-flight requests drain.
      await websockets.close();
      for (const stream of openStreams) stream.end();
      await closeServer(server);
      await apollo.stop();
      await agent.close();
      if (!options.revocations) await revocations.close();
    },
  };
}
