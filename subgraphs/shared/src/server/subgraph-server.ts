import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import { createHandler } from 'graphql-sse';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { SpanKind } from '@opentelemetry/api';
import { claimsHeader, signatureHeader, verifyRequest, type VerificationResult } from '../claims/sign-claims.ts';
import type { Claims } from '../claims/claims.ts';
import { withCausation } from '../claims/causation.ts';
import { errorLoggingPlugin } from '../errors/error-logging-plugin.ts';
import { formatErrorForClient, isExpectedErrorCode } from '../errors/format-error.ts';
import { subgraphPortVariable, type SubgraphName } from '../service-catalog.ts';
import { applyRateLimits, type RateLimitHit, type RateLimitReport } from '../rate-limit/apply-rate-limits.ts';
import type { RateLimitStore } from '../rate-limit/rate-limit-store.ts';
import { applyScopeRequirements } from '../scopes/apply-scope-requirements.ts';
import { cacheTagsPlugin } from '../cache/cache-tags-plugin.ts';
import { compactJson, executeApolloRequest } from './apollo-http.ts';
import { serveSse } from './serve-sse.ts';
import { closeServer, listen, urlHost } from './listen.ts';
import { BodyTooLargeError, readBody } from './read-body.ts';
import { sendGraphQLError, sendJson } from './send-json.ts';
import { servePublicMetrics, type MetricsAccess } from '../metrics/metrics-endpoint.ts';
import { operationMetricsPlugin } from '../metrics/operation-metrics-plugin.ts';
import { metricsEnabled, platformMetrics } from '../metrics/platform-metrics.ts';
import { contextFromHeaders, inSpan, serviceContext } from '../telemetry/spans.ts';
import { serviceTracer, type TracingSettings } from '../telemetry/tracing.ts';
import { tracedResolvers } from '../telemetry/traced-resolvers.ts';

/** What every subgraph's request context starts from. */
export interface SubgraphBaseContext {
  /** Verified claims from the gateway: the only source of identity. */
  claims: Claims;
  requestId: string;
  logger: Logger;
  /** The tightest @rateLimit this request touched, reported back to the gateway. */
  rateLimit: { report: RateLimitReport | null };
}

/** A subgraph is a plain module: its name, its SDL and its resolvers. */
export interface SubgraphDefinition {
  name: SubgraphName;
  typeDefs: DocumentNode;
  /** Typed by the subgraph from its own schema (GraphQL Code Generator). */
  resolvers: object;
}

export interface SubgraphServerOptions<TContext extends SubgraphBaseContext> {
  subgraph: SubgraphDefinition;
  host: string;
  port: number;
  /** Shared with the gateway only; requests not signed with it are refused. */
  signingSecret: string;
  logger: Logger;
  bodyLimitBytes?: number;
  createContext(base: SubgraphBaseContext): TContext;
  /** Where @rateLimit counts are kept (Redis, or this process when embedded). */
  rateLimitStore: RateLimitStore;
  /** Told of every use refused by a @rateLimit (e.g. to record a security event). */
  onRateLimited?(hit: RateLimitHit): void;
  /** Throws when a dependency (the database) does not answer. */
  checkReady(): Promise<void>;
  /**
   * This service's background jobs by queue and state, shown on `/health/ready` so that
   * operators see a backlog or failures building up (see the job runner's `counts`).
   */
  jobCounts?(): Promise<Record<string, Record<string, number>>>;
  /**
   * The subgraph's own HTTP routes beside GraphQL and health (e.g. downloads). Answers
   * true when it handled the request. These are not GraphQL: each route authenticates
   * its requests itself.
   */
  routes?(request: IncomingMessage, response: ServerResponse): Promise<boolean>;
  /** Where the service's metrics go (`/metrics` serves the registry) and its traces. */
  observability: { registry: Registry; metrics: MetricsAccess; tracing: TracingSettings };
}

export interface RunningSubgraph {
  name: SubgraphName;
  /** The GraphQL endpoint, for the gateway. */
  url: string;
  port: number;
  /** The underlying HTTP server, for observing connections. */
  httpServer: Server;
  close(): Promise<void>;
}

/**
 * Serves one subgraph over HTTP: `POST /graphql` for requests signed by the gateway (all
 * of them, `_service` and `_entities` included), `GET /health/live` and
 * `GET /health/ready` for orchestrators. Every subgraph runs on this same server code.
 */
export async function startSubgraphServer<TContext extends SubgraphBaseContext>(
  options: SubgraphServerOptions<TContext>,
): Promise<RunningSubgraph> {
  const { subgraph, logger, observability } = options;
  const bodyLimit = options.bodyLimitBytes ?? 2 * 1024 * 1024;
  const metrics = platformMetrics(observability.registry);
  const tracer = serviceTracer(subgraph.name, observability.tracing);
  const onLimited = (hit: RateLimitHit) => {
    metrics.rateLimitRefusals.inc({ service: subgraph.name, field: hit.field });
    options.onRateLimited?.(hit);
  };
  // Scopes are checked outside the rate limits: a field the caller may not reach at all
  // does not use up its allowance.
  const schema = applyScopeRequirements(
    applyRateLimits(
      buildSubgraphSchema({
        typeDefs: subgraph.typeDefs,
        // Without a collector, spans are no-ops: the resolvers are left unwrapped.
        resolvers: (observability.tracing.endpoint
          ? tracedResolvers(subgraph.resolvers, tracer, subgraph.name)
          : subgraph.resolvers) as GraphQLResolverMap<unknown>,
      }),
      { store: options.rateLimitStore, onLimited },
    ),
  );
  const apollo = new ApolloServer<TContext>({
    schema,
    // Only the gateway can reach this server (every request is signed), and it needs
    // the schema; clients never see a subgraph's introspection.
    introspection: true,
    includeStacktraceInErrorResponses: false,
    // Shutdown is ours to order (servers, then the database); Apollo must not act on signals.
    stopOnTerminationSignals: false,
    formatError: formatErrorForClient,
    stringifyResult: compactJson,
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      // Traces are for Apollo GraphOS usage reporting, which this graph does not use.
      ApolloServerPluginInlineTraceDisabled(),
      errorLoggingPlugin<TContext>(logger),
      // With METRICS=off nothing would be recorded: the plugin's hooks are left out of every request.
      ...(metricsEnabled(observability.registry) ? [operationMetricsPlugin<TContext>(subgraph.name, metrics)] : []),
      rateLimitReportPlugin<TContext>(),
      cacheTagsPlugin<TContext>(),
    ],
  });
  await apollo.start();
  const subscriptions = subscriptionHandler<TContext>(schema, logger);

  const handleGraphQL = async (request: IncomingMessage, response: ServerResponse) => {
    if (request.method !== 'POST') {
      // A GET would carry the operation in the URL, outside the signed body.
      sendGraphQLError(response, 'BAD_USER_INPUT', 'Subgraphs accept POST only.', {}, 405);
      return;
    }
    const body = await readBody(request, bodyLimit);
    const verification = verifySignedRequest(options.signingSecret, request, body);
    if (!verification.ok) {
      logger.warn(
        { reason: verification.reason, remoteAddress: request.socket.remoteAddress },
        'refused a request that was not signed by the gateway',
      );
      sendGraphQLError(
        response,
        'UNAUTHENTICATED',
        'This service only answers requests signed by the gateway.',
      );
      return;
    }
    const { claims } = verification;
    const requestLogger = logger.child({ requestId: claims.requestId });
    const context = () =>
      options.createContext({
        claims,
        requestId: claims.requestId,
        logger: requestLogger,
        rateLimit: { report: null },
      });
    // The gateway opens subscriptions as a signed POST that accepts an event stream.
    if ((request.headers.accept ?? '').includes('text/event-stream')) {
      await serveSse(subscriptions, request, response, body.toString('utf8'), context());
      return;
    }
    // Events recorded while serving a workflow's request carry its run chain (loop stop).
    await withCausation(claims, () => executeApolloRequest(apollo, request, response, body, async () => context()));
  };

  const handleReady = (response: ServerResponse) =>
    options.checkReady().then(
      async () =>
        sendJson(response, 200, {
          status: 'ok',
          rateLimits: options.rateLimitStore.mode(),
          ...(options.jobCounts ? { jobs: await readJobCounts(options.jobCounts) } : {}),
        }),
      (error: Error) => {
        logger.warn({ err: error }, 'not ready');
        sendJson(response, 503, { status: 'unavailable' });
      },
    );
  const fixedRoutes: Record<string, (request: IncomingMessage, response: ServerResponse) => Promise<void>> = {
    // One server span per request, a child of the gateway's fetch span when it sent one.
    '/graphql': (request, response) =>
      inSpan(
        tracer,
        `${subgraph.name} POST /graphql`,
        {
          kind: SpanKind.SERVER,
          parent: serviceContext(contextFromHeaders(request.headers), tracer),
          attributes: { 'tnx.service': subgraph.name },
        },
        () => handleGraphQL(request, response),
      ),
    '/health/live': async (_request, response) => sendJson(response, 200, { status: 'ok' }),
    '/health/ready': (_request, response) => handleReady(response),
    '/metrics': (request, response) => servePublicMetrics(observability.registry, observability.metrics, request, response),
  };
  const otherRoutes = async (request: IncomingMessage, response: ServerResponse) => {
    const handled = await (options.routes?.(request, response) ?? Promise.resolve(false));
    if (!handled) sendJson(response, 404, { error: 'not found' });
  };

  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const route = (fixedRoutes[path] ?? otherRoutes)(request, response);
    route.catch((error: unknown) => {
      if (error instanceof BodyTooLargeError) {
        sendGraphQLError(response, 'BAD_USER_INPUT', error.message, {}, 413);
        return;
      }
      logger.error({ err: error }, 'request failed');
      if (!response.headersSent) sendGraphQLError(response, 'INTERNAL_SERVER_ERROR', 'Internal server error');
      else response.destroy();
    });
  });
  // Longer than the gateway's keep-alive, so the gateway closes idle sockets first and
  // never writes to one this side is closing.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  const port = await listen(server, options.port, options.host, subgraphPortVariable(subgraph.name));
  logger.info({ port }, `${subgraph.name} subgraph listening`);
  return {
    name: subgraph.name,
    url: `http://${urlHost(options.host)}:${port}/graphql`,
    port,
    httpServer: server,
    close: async () => {
      await closeServer(server);
      await apollo.stop();
      await options.rateLimitStore.close();
    },
  };
}

/**
 * Checks that an incoming request carries the gateway's signature over `body` (see
 * sign-claims.ts), for GraphQL and for a subgraph's own internal routes alike.
 */
export function verifySignedRequest(secret: string, request: IncomingMessage, body: Uint8Array): VerificationResult {
  return verifyRequest(
    secret,
    { claims: headerValue(request, claimsHeader), signature: headerValue(request, signatureHeader) },
    body,
  );
}

function headerValue(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Puts the request's tightest rate limit in the response extensions, for the gateway. */
function rateLimitReportPlugin<TContext extends SubgraphBaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          const report = contextValue.rateLimit.report;
          if (!report || response.body.kind !== 'single') return;
          response.body.singleResult.extensions = { ...response.body.singleResult.extensions, rateLimit: report };
        },
      };
    },
  };
}

/**
 * Subscriptions over graphql-sse (one stream per signed POST), for the gateway. Errors in
 * events are formatted like any other response: unexpected ones masked, and logged.
 */
function subscriptionHandler<TContext extends SubgraphBaseContext>(schema: GraphQLSchema, logger: Logger) {
  // graphql-sse wants a plain record as context; ours is an interface, hence the widening.
  type SseContext = TContext & Record<PropertyKey, unknown>;
  return createHandler<IncomingMessage, { res: ServerResponse; context: TContext }, SseContext>({
    schema,
    context: (request) => request.context.context as SseContext,
    onNext: (context, _request, result) => {
      if (!result.errors?.length) return undefined;
      for (const error of result.errors) {
        if (!isExpectedErrorCode(error.extensions?.code)) {
          logger.error({ requestId: context.requestId, err: error.originalError ?? error }, 'unexpected error in a subscription');
        }
      }
      // Sent as JSON: formatted errors serialise exactly like the GraphQLErrors they replace.
      return { ...result, errors: result.errors.map((error) => formatErrorForClient(error.toJSON())) } as unknown as typeof result;
    },
  });
}

/**
 * The job counts for readiness, or `"unavailable"`: counts that cannot be read (Redis away,
 * where BullMQ's commands wait for it to return) must neither fail nor stall the answer.
 */
async function readJobCounts(read: () => Promise<Record<string, Record<string, number>>>): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'unavailable'>((resolve) => {
    timer = setTimeout(() => resolve('unavailable'), 1000);
  });
  try {
    return await Promise.race([read().catch(() => 'unavailable' as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
