import { randomUUID } from 'node:crypto';
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { SpanKind, type Tracer } from '@opentelemetry/api';
import {
  claimsHeader,
  encodeClaims,
  inSpan,
  traceHeaders,
  type PlatformMetrics,
  signRequest,
  signatureHeader,
  tighter,
  type Claims,
  type RateLimitReport,
} from '@token-nexus/shared';
import { GraphQLError } from 'graphql';
import { Agent } from 'undici';
import { cacheStatusMember, type FetchOutcome } from './cache/cache-status.ts';
import type { FetchCache, SubgraphAnswer } from './cache/fetch-cache.ts';
import type { GatewayContext } from './context.ts';
import { requestIdHeader } from './http/request-id.ts';
import { postToSubgraph, type SubgraphResponse } from './subgraph-response.ts';

/**
 * The gateway's connection to one subgraph. Every request carries the verified claims
 * and an HMAC over time, claims and exact body, over the agent's pool of keep-alive
 * connections to the subgraph.
 *
 * It does what Apollo's RemoteGraphQLDataSource does for a query plan's fetch (the same
 * body, errors and cache hints) without building a fetch Request and Headers per fetch,
 * which cost as much as sending it.
 */
export class SignedDataSource implements GraphQLDataSource<GatewayContext> {
  private readonly subgraph: string;
  private readonly cache: FetchCache | null;

  constructor(
    private readonly options: {
      name: string;
      url: string;
      signingSecret: string;
      agent: Agent;
      timeoutMs: number;
      cache: FetchCache | null;
      metrics: PlatformMetrics;
      tracer: Tracer;
    },
  ) {
    this.subgraph = options.name;
    this.cache = options.cache;
  }

  /**
   * Queries of a client's operation go through the gateway's cache (see FetchCache);
   * mutations, and the gateway's own requests, never do. Each fetch's outcome is noted
   * for the response's Cache-Status, and a cached answer's age and scope count in the
   * response's own Cache-Control as a fetched one's do.
   */
  async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const { request } = options;
    const query = request.query ?? '';
    if (!('incomingRequestContext' in options)) return this.send(options);
    const context = options.context;
    if (!this.cache || !context?.claims || /^\s*mutation\b/.test(query)) {
      this.note(context, { kind: 'bypass' });
      return this.send(options);
    }
    const { answer, outcome } = await this.cache.fetch(
      { subgraph: this.subgraph, query, variables: request.variables, actor: context.claims.actor, type: fetchType(query, request.variables) },
      () => this.send(options) as Promise<SubgraphAnswer>,
    );
    this.note(context, outcome);
    if (outcome.kind === 'hit') {
      // Subscription events are completed outside an HTTP request: no policy to restrict.
      const policy = options.incomingRequestContext?.overallCachePolicy;
      if (policy && 'restrict' in policy) policy.restrict({ maxAge: outcome.ttlSeconds, scope: outcome.scope });
    }
    return answer as GatewayGraphQLResponse;
  }

  private note(context: GatewayContext | undefined, outcome: FetchOutcome): void {
    context?.cacheStatus?.push(cacheStatusMember(this.subgraph, outcome));
  }

  /**
   * One fetch from the subgraph, timed by subgraph and outcome, in a client span whose
   * `traceparent` the subgraph continues.
   */
  private send(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const stop = this.options.metrics.subgraphFetchDuration.startTimer({ subgraph: this.subgraph });
    return inSpan(
      this.options.tracer,
      `fetch ${this.subgraph}`,
      { kind: SpanKind.CLIENT, attributes: { 'tnx.subgraph': this.subgraph, 'url.full': this.options.url } },
      async () => {
        try {
          const answer = await this.sendSigned(options, traceHeaders());
          stop({ outcome: answer.errors?.length ? 'error' : 'success' });
          return answer;
        } catch (error) {
          stop({ outcome: 'failure' });
          throw error;
        }
      },
    );
  }

  /** The fetch itself, signed, with the answer's rate limit and cache hint taken into the request's. */
  private async sendSigned(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
    tracing: Record<string, string>,
  ): Promise<GatewayGraphQLResponse> {
    const { request } = options;
    if (!request.query) throw new Error('Missing query');
    const context = options.context as Partial<GatewayContext> | undefined;
    // The gateway's own requests (none today: the supergraph is static) go as anonymous.
    const claims: Claims = context?.claims ?? {
      v: 1,
      actor: { type: 'anonymous' },
      requestId: `gateway-${randomUUID()}`,
      clientIp: null,
      userAgent: null,
    };
    const encodedClaims = encodeClaims(claims);
    const body = JSON.stringify({
      query: request.query,
      variables: request.variables,
      operationName: request.operationName,
      extensions: request.extensions,
    });
    const response = await postToSubgraph(this.options.url, {
      headers: {
        ...tracing,
        'content-type': 'application/json',
        [claimsHeader]: encodedClaims,
        [requestIdHeader]: claims.requestId,
        [signatureHeader]: signRequest(this.options.signingSecret, encodedClaims, body),
      },
      body,
      agent: this.options.agent,
      signal: AbortSignal.timeout(this.options.timeoutMs),
    });
    if (!response.ok) throw await errorFromResponse(response);
    const parsed = await parseBody(response);
    if (typeof parsed !== 'object' || parsed === null) throw new Error(`Expected JSON response body, but received: ${String(parsed)}`);
    // `http` as Apollo's data source sets it; only its headers are read (the cache's policy).
    const answer = { ...(parsed as GatewayGraphQLResponse), http: response } as unknown as GatewayGraphQLResponse;
    // Keeps the tightest rate limit any subgraph applied, for the response's headers.
    const report = reportedRateLimit(answer);
    if (report && context?.rateLimit) context.rateLimit.report = tighter(context.rateLimit.report, report);
    if ('incomingRequestContext' in options) {
      const policy = options.incomingRequestContext.overallCachePolicy;
      if (policy && 'restrict' in policy) policy.restrict(cacheHint(response.headers.get('cache-control')));
    }
    return answer;
  }
}

type GatewayGraphQLResponse = Awaited<ReturnType<GraphQLDataSource['process']>>;
interface CacheHint {
  maxAge: number;
  scope?: 'PUBLIC' | 'PRIVATE';
}

/** The body as JSON when the subgraph says it is, as text otherwise. */
function parseBody(response: SubgraphResponse): Promise<unknown> {
  const contentType = response.headers.get('content-type');
  return contentType && (contentType.startsWith('application/json') || contentType.startsWith('application/graphql-response+json'))
    ? response.json()
    : response.text();
}

/**
 * A failed answer as a GraphQLError carrying it (401 UNAUTHENTICATED, 403 FORBIDDEN, any
 * other without a code: the gateway's own failure). A subgraph answers 400 when a variable
 * fails its own scalar (a BigInt written as "1.5": the gateway only knows such scalars by
 * name); that is the client's mistake, so its BAD_USER_INPUT reaches the client as it is.
 */
async function errorFromResponse(response: SubgraphResponse): Promise<GraphQLError> {
  if (response.status === 400) {
    const body = (await response.json().catch(() => null)) as { errors?: { message?: string; extensions?: Record<string, unknown> }[] } | null;
    const refusal = body?.errors?.[0];
    if (refusal?.extensions?.code === 'BAD_USER_INPUT' && typeof refusal.message === 'string') {
      return new GraphQLError(refusal.message, { extensions: { code: 'BAD_USER_INPUT' } });
    }
  }
  const code = response.status === 401 ? 'UNAUTHENTICATED' : response.status === 403 ? 'FORBIDDEN' : undefined;
  return new GraphQLError(`${response.status}: ${response.statusText}`, {
    extensions: {
      response: { url: response.url, status: response.status, statusText: response.statusText, body: await parseBody(response) },
      ...(code ? { code } : {}),
    },
  });
}

/** A subgraph's Cache-Control as a hint: its max-age (0 without one) and scope. */
function cacheHint(header: string | null): CacheHint {
  const hint: CacheHint = { maxAge: 0 };
  for (const directive of (header ?? '').trim().split(/\s*,\s*/)) {
    const [name, value] = directive.split(/\s*=\s*/, 2);
    if (name === 'max-age' && value !== undefined && /^[0-9]+$/.test(value.replace(/^"|"$/g, ''))) hint.maxAge = Number(value.replace(/^"|"$/g, ''));
    if (name === 'private' && value === undefined) hint.scope = 'PRIVATE';
    if (name === 'public' && value === undefined) hint.scope = 'PUBLIC';
  }
  return hint;
}

/** A subgraph's report of the tightest @rateLimit it applied, if the response carries one. */
function reportedRateLimit(response: { extensions?: Record<string, unknown> }): RateLimitReport | null {
  const report = response.extensions?.rateLimit as
    | RateLimitReport
    | undefined;
  return report && typeof report.limit === 'number' && typeof report.remaining === 'number' ? report : null;
}

/** One pool of keep-alive connections shared by every subgraph data source. */
export function createSubgraphAgent(): Agent {
  return new Agent({
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 60_000,
    connections: 64,
  });
}

/** What a fetch reads, for the metrics: an entity type, or the subgraph's first root field. */
function fetchType(query: string, variables: Record<string, unknown> | undefined): string {
  const representations = variables?.representations;
  if (Array.isArray(representations)) {
    const typename = (representations[0] as { __typename?: unknown } | undefined)?.__typename;
    return typeof typename === 'string' ? typename : '_entities';
  }
  const root = /\{\s*(?:\w+\s*:\s*)?(\w+)/.exec(query)?.[1];
  return root ? `Query.${root}` : 'Query';
}
