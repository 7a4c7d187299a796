import { randomUUID } from 'node:crypto';
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import {
  claimsHeader,
  encodeClaims,
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
import { postToSubgraph } from './subgraph-response.ts';

/**
 * The gateway's connection to one subgraph. Every request carries the verified claims
 * and an HMAC over time, claims and exact body (computed in the fetcher, where the body
 * is final), over the agent's pool of keep-alive connections to the subgraph.
 */
export class SignedDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  private readonly subgraph: string;
  private readonly cache: FetchCache | null;

  constructor(options: { name: string; url: string; signingSecret: string; agent: Agent; timeoutMs: number; cache: FetchCache | null }) {
    super({
      url: options.url,
      fetcher: (async (url: string, init: { headers: Record<string, string>; body?: string }) => {
        const body = init.body ?? '';
        const headers = {
          ...init.headers,
          [signatureHeader]: signRequest(options.signingSecret, init.headers[claimsHeader] ?? '', body),
        };
        return postToSubgraph(url, { headers, body, agent: options.agent, signal: AbortSignal.timeout(options.timeoutMs) });
      }) as unknown as RemoteGraphQLDataSource['fetcher'],
    });
    this.subgraph = options.name;
    this.cache = options.cache;
  }

  /**
   * Queries of a client's operation go through the gateway's cache (see FetchCache);
   * mutations, and the gateway's own requests, never do. Each fetch's outcome is noted
   * for the response's Cache-Status, and a cached answer's age and scope count in the
   * response's own Cache-Control as a fetched one's do.
   */
  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<Answer> {
    const { request } = options;
    const query = request.query ?? '';
    if (!('incomingRequestContext' in options)) return super.process(options);
    const context = options.context;
    if (!this.cache || !context?.claims || /^\s*mutation\b/.test(query)) {
      this.note(context, { kind: 'bypass' });
      return super.process(options);
    }
    const { answer, outcome } = await this.cache.fetch(
      { subgraph: this.subgraph, query, variables: request.variables, actor: context.claims.actor, type: fetchType(query, request.variables) },
      () => super.process(options) as Promise<SubgraphAnswer>,
    );
    this.note(context, outcome);
    if (outcome.kind === 'hit') {
      // Subscription events are completed outside an HTTP request: no policy to restrict.
      const policy = options.incomingRequestContext?.overallCachePolicy;
      if (policy && 'restrict' in policy) policy.restrict({ maxAge: outcome.ttlSeconds, scope: outcome.scope });
    }
    return answer as Answer;
  }

  private note(context: GatewayContext | undefined, outcome: FetchOutcome): void {
    context?.cacheStatus?.push(cacheStatusMember(this.subgraph, outcome));
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>) {
    // The gateway's own requests (none today: the supergraph is static) go as anonymous.
    const claims: Claims = context?.claims ?? {
      v: 1,
      actor: { type: 'anonymous' },
      requestId: `gateway-${randomUUID()}`,
      clientIp: null,
      userAgent: null,
    };
    request.http!.headers.set(claimsHeader, encodeClaims(claims));
    request.http!.headers.set(requestIdHeader, claims.requestId);
  }

  /**
   * A subgraph answers 400 when a variable fails its own scalar (a BigInt written as
   * "1.5": the gateway only knows such scalars by name). That is the client's mistake, so
   * its BAD_USER_INPUT reaches the client as it is; any other failure stays the gateway's.
   */
  override async errorFromResponse(response: Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0]) {
    if (response.status === 400) {
      const body = (await response
        .clone()
        .json()
        .catch(() => null)) as { errors?: { message?: string; extensions?: Record<string, unknown> }[] } | null;
      const refusal = body?.errors?.[0];
      if (refusal?.extensions?.code === 'BAD_USER_INPUT' && typeof refusal.message === 'string') {
        return new GraphQLError(refusal.message, { extensions: { code: 'BAD_USER_INPUT' } });
      }
    }
    return super.errorFromResponse(response);
  }

  /** Keeps the tightest rate limit any subgraph applied, for the response's headers. */
  override didReceiveResponse: NonNullable<RemoteGraphQLDataSource<GatewayContext>['didReceiveResponse']> = ({
    response,
    context,
  }) => {
    const report = reportedRateLimit(response);
    if (report && context?.rateLimit) context.rateLimit.report = tighter(context.rateLimit.report, report);
    return response;
  };
}

/** A subgraph's report of the tightest @rateLimit it applied, if the response carries one. */
function reportedRateLimit(response: { extensions?: Record<string, unknown> }): RateLimitReport | null {
  const report = response.extensions?.rateLimit as
    | RateLimitReport
    | undefined;
  return report && typeof report.limit === 'number' && typeof report.remaining === 'number' ? report : null;
}

type Answer = Awaited<ReturnType<RemoteGraphQLDataSource<GatewayContext>['process']>>;

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
