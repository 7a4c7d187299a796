import { fileURLToPath } from 'node:url';
import {
  accessTokenEnv,
  gatewayDefaultPort,
  loadEnv,
  port,
  positiveInt,
  serviceEnv,
  subgraphCatalog,
  subgraphNames,
  subgraphUrlVariable,
  url,
  type Environment,
  type SubgraphName,
} from '@token-nexus/shared';
import { z } from 'zod';

export type GatewayConfig = ReturnType<typeof loadGatewayConfig>;

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
  }));
  const raw = vars as unknown as Record<string, string>;
  return {
    production: vars.NODE_ENV === 'production',
    logLevel: vars.LOG_LEVEL,
    server: { host: vars.HOST, port: vars.PORT },
    signingSecret: vars.GATEWAY_SIGNING_SECRET,
    accessTokenSecret: vars.AUTH_JWT_SECRET,
    redisUrl: vars.REDIS_URL,
    supergraphPath: vars.SUPERGRAPH_PATH,
    bodyLimitBytes: vars.BODY_LIMIT_BYTES,
    subgraphTimeoutMs: vars.SUBGRAPH_TIMEOUT_MS,
    trustedProxyHops: vars.TRUSTED_PROXY_HOPS,
    corsOrigins: vars.CORS_ORIGINS.split(',').map((origin) => origin.trim()).filter(Boolean),
    subgraphUrls: Object.fromEntries(
      subgraphNames.map((name) => [name, raw[subgraphUrlVariable(name)]!]),
    ) as Record<SubgraphName, string>,
  };
}
