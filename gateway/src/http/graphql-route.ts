import type { ApolloServer } from '@apollo/server';
import { ROOT_CONTEXT, SpanKind, type Tracer } from '@opentelemetry/api';
import {
  activeTraceIds,
  executeApolloRequest,
  inSpan,
  readBody,
  sendGraphQLError,
  type Actor,
  type Claims,
  type Logger,
  type PlatformMetrics,
} from '@token-nexus/shared';
import type { GatewayContext, RequestLog } from '../context.ts';
import { httpCaching } from '../cache/http-caching.ts';
import { operationLimitError } from '../operation-limits/operation-limit-error.ts';
import { asksForHtml } from './asks-for-html.ts';
import { batchSizeOf } from './batch-size.ts';
import { clientAddress } from './client-address.ts';
import { answerMissingQuery, lacksQuery } from './missing-query.ts';
import type { Route, RouteRequest } from './router.ts';

export interface GraphQLRouteOptions {
  apollo: ApolloServer<GatewayContext>;
  authenticate: (authorization: string | undefined) => Promise<Actor>;
  bodyLimitBytes: number;
  maxBatchSize: number;
  trustedProxyHops: number;
  production: boolean;
  /** Apollo serves its landing page (Sandbox) to browsers: their GETs without a query go to it. */
  apolloLandingPage: boolean;
  metrics: PlatformMetrics;
  tracer: Tracer;
}

/**
 * `GET|POST /graphql`: a GET without a query is told how to send one; a batch over
 * MAX_BATCH_SIZE is refused whole before anything runs; otherwise the caller is
 * authenticated and Apollo executes with the verified claims.
 */
export function graphqlRoute(options: GraphQLRouteOptions): Route {
  return {
    matches: (path) => path === '/graphql',
    // Each request starts a trace of its own: a client's traceparent is not followed, so
    // that nobody outside can decide what the graph records (its sampling) or join our
    // spans to a trace of theirs.
    handle: (request) =>
      inSpan(options.tracer, 'gateway POST /graphql', { kind: SpanKind.SERVER, parent: ROOT_CONTEXT }, () => {
        Object.assign(request.log, activeTraceIds());
        return handleGraphQL(request, options);
      }),
  };
}

async function handleGraphQL(route: RouteRequest, options: GraphQLRouteOptions): Promise<void> {
  const { request, response, requestId, log } = route;
  if (request.method !== 'GET' && request.method !== 'POST') {
    sendGraphQLError(response, 'BAD_USER_INPUT', 'Use GET or POST.', { requestId }, 405);
    return;
  }
  if (lacksQuery(request) && !(options.apolloLandingPage && asksForHtml(request))) return answerMissingQuery(route);
  const body = request.method === 'POST' ? await readBody(request, options.bodyLimitBytes) : undefined;
  const batchSize = body ? batchSizeOf(body) : null;
  if (batchSize !== null) {
    log.batchSize = batchSize;
    if (batchSize > options.maxBatchSize) return refuseBatch(route, batchSize, options);
  }
  const actor = await options.authenticate(request.headers.authorization);
  const userAgent = request.headers['user-agent'];
  const context = new HttpRequestContext(route, {
    v: 1,
    actor,
    requestId,
    clientIp: clientAddress(request, options.trustedProxyHops),
    userAgent: userAgent ? userAgent.slice(0, 512) : null,
  });
  await executeApolloRequest(options.apollo, request, response, body, async () => context, {}, httpCaching(request));
}

/**
 * The context of an operation over HTTP. Its logger (a child with the request id) is made
 * only when something logs, which most requests never do; the getter is on the prototype
 * because Apollo copies a context's own properties for each operation.
 */
class HttpRequestContext implements GatewayContext {
  readonly requestId: string;
  readonly log: RequestLog;
  readonly rateLimit: GatewayContext['rateLimit'] = { report: null };
  readonly cacheStatus: string[] = [];

  constructor(
    private readonly route: RouteRequest,
    readonly claims: Claims,
  ) {
    this.requestId = route.requestId;
    this.log = route.log;
  }

  get logger(): Logger {
    return this.route.logger;
  }
}

/** Refused whole, before authentication or any operation runs. */
function refuseBatch({ response, requestId, log }: RouteRequest, batchSize: number, options: GraphQLRouteOptions): void {
  const refusal = operationLimitError('MAX_BATCH_SIZE', options.maxBatchSize, `The request holds too many operations (${batchSize})`);
  log.error = { code: 'BAD_USER_INPUT', message: refusal.message };
  log.limit = 'MAX_BATCH_SIZE';
  options.metrics.operationLimitRefusals.inc({ limit: 'MAX_BATCH_SIZE' });
  const message = options.production ? 'The request holds too many operations.' : refusal.message;
  sendGraphQLError(response, 'BAD_USER_INPUT', message, { requestId }, 400);
}
