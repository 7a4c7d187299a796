import { fileURLToPath } from 'node:url';
import {
  accessTokenEnv,
  gatewayDefaultPort,
  loadEnv,
  port,
  positiveInt,
  serviceEnv,
  observabilitySettings,
  subgraphCatalog,
  subgraphNames,
  subgraphUrlVariable,
  url,
  type Environment,
  type SubgraphName,
} from '@token-nexus/shared';
import { z } from 'zod';

export type GatewayConfig = ReturnType<typeof loadGatewayConfig>;

/** The limits each operation (and each batch) must stay within; see operation-limits/. */
export type OperationLimitsConfig = GatewayConfig['operationLimits'];

/** What a browser opening /graphql gets (EXPLORER): GraphiQL, Apollo Sandbox or nothing. */
export const explorerModes = ['on', 'sandbox', 'off'] as const;
export type ExplorerMode = (typeof explorerModes)[number];

/** The composed supergraph the gateway serves (written by `pnpm compose`). */
export const defaultSupergraphPath = fileURLToPath(new URL('../supergraph.graphql', import.meta.url));

/** Reads and validates the gateway's configuration; throws ConfigError naming bad variables. */
export function loadGatewayConfig(env: Environment) {
  // Outside production each subgraph is assumed on its default local port; in production
  // a forgotten URL must stop the gateway, not send traffic to 127.0.0.1.
  const subgraphUrlShape = (production: boolean) =>
    Object.fromEntries(
      subgraphNames.map((name) => {
        const subgraphUrl = url(['http:', 'https:'], 'must be an http(s) URL of the subgraph GraphQL endpoint');
        return [
          subgraphUrlVariable(name),
          production
            ? z.string({ message: 'is required in production' }).pipe(subgraphUrl)
            : subgraphUrl.default(`http://127.0.0.1:${subgraphCatalog[name].defaultPort}/graphql`),
        ];
      }),
    );
  const vars = loadEnv(env, (context) => ({
    ...serviceEnv(context),
    ...accessTokenEnv(context),
    ...subgraphUrlShape(context.production),
    PORT: port(gatewayDefaultPort),
    SUPERGRAPH_PATH: z.string().default(defaultSupergraphPath),
    /**
     * Reload the supergraph when its file changes, checking this often (0: only on
     * SIGHUP). Open subscriptions end with SCHEMA_RELOADED on a reload.
     */
    SUPERGRAPH_POLL_SECONDS: z.coerce.number().int().min(0).max(3600).default(0),
    BODY_LIMIT_BYTES: positiveInt(1024 * 1024),
    SUBGRAPH_TIMEOUT_MS: positiveInt(10_000),
    /**
     * How many reverse proxies in front of the gateway append to X-Forwarded-For; the
     * client address is taken that many hops from the right. 0 trusts no such header.
     */
    TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
    /**
     * Browser origins allowed to call the API (comma-separated), or `*` for any. In
     * development any origin is allowed (Apollo Sandbox runs on its own origin).
     */
    CORS_ORIGINS: z.string().default(context.production ? '' : '*'),
    /**
     * What a browser opening /graphql gets: GraphiQL served by the gateway (`on`), Apollo
     * Sandbox (`sandbox`, loaded from Apollo's servers) or nothing (`off`). Off in
     * production unless asked for: it shows the whole schema to anyone.
     */
    EXPLORER: z
      .enum(explorerModes, { message: `must be one of ${explorerModes.join(', ')}` })
      .default(context.production ? 'off' : 'on'),
    // Operation limits (see operation-limits/). Each default leaves room for the largest
    // query our own dashboard needs and refuses the shapes that only an attacker sends.
    /** Nesting of fields, leaves included: `{ me { id } }` is 2. Two connection hops fit in 10. */
    MAX_QUERY_DEPTH: positiveInt(10),
    /** Aliased fields in one operation (0 forbids aliases). */
    MAX_ALIASES: wholeNumber(15),
    /** Fields at the top of an operation, after expanding fragments. */
    MAX_ROOT_FIELDS: positiveInt(10),
    /** Lexical tokens of the document; the parser stops at the first one past it. */
    MAX_TOKENS: positiveInt(1000),
    /** Directives used in one operation (0 forbids them). */
    MAX_DIRECTIVES: wholeNumber(20),
    /** Estimated work: each field costs 1, a list field multiplies its selection by its size. */
    MAX_QUERY_COST: positiveInt(5000),
    /** The size assumed for a list without `first`: the connections' own default page size. */
    DEFAULT_LIST_SIZE: positiveInt(20),
    /** Operations in one batched (JSON array) request. */
    MAX_BATCH_SIZE: positiveInt(25),
    /** Subscriptions one WebSocket may hold at once. */
    SUBSCRIPTIONS_PER_CONNECTION: positiveInt(25),
    /** Subscriptions one user may hold at once on this gateway, over all connections. */
    SUBSCRIPTIONS_PER_USER: positiveInt(100),
    /** Events that may wait for a slow subscriber before its subscription is ended. */
    SUBSCRIPTION_QUEUE_SIZE: positiveInt(256),
    /**
     * The cache of subgraph answers (see cache/fetch-cache.ts): `on`, or `off` to send
     * every fetch to its subgraph (to compare, or to rule the cache out).
     */
    GATEWAY_CACHE: z.enum(['on', 'off'], { message: 'must be on or off' }).default('on'),
    /** Answers each gateway keeps in its own memory in front of the shared store. */
    GATEWAY_CACHE_LOCAL_ENTRIES: positiveInt(10_000),
    /**
     * How often the gateway reports the operations it answered (per organization and
     * credential) to analytics, for `api.requests`: also the most a killed gateway loses.
     */
    API_USAGE_FLUSH_MS: positiveInt(5_000),
    /**
     * Where an organization's public site lives, as an http(s) URL with `{orgSlug}` in it
     * (`https://{orgSlug}.sites.example.com`): a page's URL in its sitemap is this plus
     * `/<page slug>` for the site's default locale, `/<locale>/<page slug>` for any other
     * translation (see sites/page-url.ts). Unset, it is the gateway's own origin (as the request reached it)
     * plus `/sites/{orgSlug}`, where the gateway serves the sitemap and robots.txt.
     */
    SITES_BASE_URL: z
      .string()
      .includes('{orgSlug}', { message: 'must contain {orgSlug}' })
      .pipe(url(['http:', 'https:'], 'must be an http(s) URL'))
      .optional(),
  }));
  const raw = vars as unknown as Record<string, string>;
  return {
    production: vars.NODE_ENV === 'production',
    logLevel: vars.LOG_LEVEL,
    server: { host: vars.HOST, port: vars.PORT },
    signingSecret: vars.GATEWAY_SIGNING_SECRET,
    accessTokenSecret: vars.AUTH_JWT_SECRET,
    redisUrl: vars.REDIS_URL,
    /** The deployment's prefix of every Redis key and channel (EVENT_CHANNEL_PREFIX). */
    keyPrefix: vars.EVENT_CHANNEL_PREFIX,
    ...observabilitySettings(vars),
    supergraphPath: vars.SUPERGRAPH_PATH,
    supergraphPollSeconds: vars.SUPERGRAPH_POLL_SECONDS,
    bodyLimitBytes: vars.BODY_LIMIT_BYTES,
    subgraphTimeoutMs: vars.SUBGRAPH_TIMEOUT_MS,
    trustedProxyHops: vars.TRUSTED_PROXY_HOPS,
    cache: { enabled: vars.GATEWAY_CACHE === 'on', localEntries: vars.GATEWAY_CACHE_LOCAL_ENTRIES },
    apiUsageFlushMs: vars.API_USAGE_FLUSH_MS,
    /** The public sites' base URL template, or undefined for the gateway's own `/sites/{orgSlug}`. */
    sitesBaseUrl: vars.SITES_BASE_URL,
    subscriptions: {
      perConnection: vars.SUBSCRIPTIONS_PER_CONNECTION,
      perUser: vars.SUBSCRIPTIONS_PER_USER,
      queueSize: vars.SUBSCRIPTION_QUEUE_SIZE,
    },
    operationLimits: {
      maxDepth: vars.MAX_QUERY_DEPTH,
      maxAliases: vars.MAX_ALIASES,
      maxRootFields: vars.MAX_ROOT_FIELDS,
      maxTokens: vars.MAX_TOKENS,
      maxDirectives: vars.MAX_DIRECTIVES,
      maxCost: vars.MAX_QUERY_COST,
      defaultListSize: vars.DEFAULT_LIST_SIZE,
      maxBatchSize: vars.MAX_BATCH_SIZE,
    },
    explorer: vars.EXPLORER,
    corsOrigins: vars.CORS_ORIGINS.split(',').map((origin) => origin.trim()).filter(Boolean),
    subgraphUrls: Object.fromEntries(
      subgraphNames.map((name) => [name, raw[subgraphUrlVariable(name)]!]),
    ) as Record<SubgraphName, string>,
  };
}

/** A whole number of something where 0 is meaningful (e.g. 0 aliases: none allowed). */
function wholeNumber(defaultValue: number) {
  return z.coerce
    .number({ message: 'must be a whole number' })
    .int('must be a whole number')
    .min(0, 'must be a whole number')
    .default(defaultValue);
}
