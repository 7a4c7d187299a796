import { z } from 'zod';
import { developmentSecrets } from './development-secrets.ts';
import { subgraphCatalog } from '../service-catalog.ts';
import { databaseSettings } from './database-env.ts';
import { logLevel, secret, url, type EnvContext } from './load-env.ts';
import { observabilityEnv, observabilitySettings } from './observability-env.ts';

const redisUrl = url(['redis:', 'rediss:'], 'must be a redis:// or rediss:// URL');

/** Variables every service of the graph (the gateway and each subgraph) reads. */
export function serviceEnv(context: EnvContext) {
  return {
    /** Interface to listen on; compose sets 0.0.0.0, local runs keep to loopback. */
    HOST: z.string().min(1).default('127.0.0.1'),
    LOG_LEVEL: logLevel,
    /** HMAC key for the claims the gateway signs and every subgraph verifies. */
    GATEWAY_SIGNING_SECRET: secret(context, developmentSecrets.gatewaySigning),
    /**
     * Prefix of every Redis key and pub/sub channel of the deployment: event channels,
     * rate-limit counters, ended sessions, presence, job queues. Required in production,
     * on purpose without a default there: two deployments sharing a Redis must never hear
     * each other's events nor share a budget. All services of one deployment use the same one.
     */
    EVENT_CHANNEL_PREFIX: context.production
      ? z.string({ message: 'is required in production (e.g. "tnx-prod:")' }).min(1)
      : z.string().min(1).default('tnx-dev:'),
    /**
     * Redis, for state shared by every instance (ended sessions, rate-limit counters,
     * pub/sub events, presence). Unset: in-memory, which only holds when the whole
     * graph runs in one process, so production requires it.
     */
    REDIS_URL: context.production
      ? z.string({ message: 'is required in production' }).pipe(redisUrl)
      : redisUrl.optional(),
    ...observabilityEnv(),
  };
}

/** The access-token key, read by identity (which signs) and the gateway (which verifies). */
export function accessTokenEnv(context: EnvContext) {
  return {
    AUTH_JWT_SECRET: secret(context, developmentSecrets.accessToken),
  };
}

/** Where a subgraph asks identity about organizations and roles (identity owns them). */
export function identityUrlEnv(context: EnvContext) {
  const identityUrl = url(['http:', 'https:'], 'must be an http(s) URL of the identity GraphQL endpoint');
  return {
    IDENTITY_URL: context.production
      ? z.string({ message: 'is required in production' }).pipe(identityUrl)
      : identityUrl.default(`http://127.0.0.1:${subgraphCatalog.identity.defaultPort}/graphql`),
  };
}

/**
 * What every subgraph's configuration holds, from the variables `serviceEnv` and
 * `databaseEnv` read; each subgraph adds its own settings beside it.
 */
export function subgraphSettings(
  vars: {
    NODE_ENV: string;
    LOG_LEVEL: z.infer<typeof logLevel>;
    HOST: string;
    GATEWAY_SIGNING_SECRET: string;
    REDIS_URL?: string | undefined;
    EVENT_CHANNEL_PREFIX: string;
  } & Parameters<typeof databaseSettings>[0] &
    Parameters<typeof observabilitySettings>[0],
  port: number,
) {
  return {
    production: vars.NODE_ENV === 'production',
    logLevel: vars.LOG_LEVEL,
    server: { host: vars.HOST, port },
    signingSecret: vars.GATEWAY_SIGNING_SECRET,
    database: databaseSettings(vars),
    redisUrl: vars.REDIS_URL,
    /** The deployment's prefix of every Redis key and channel (EVENT_CHANNEL_PREFIX). */
    keyPrefix: vars.EVENT_CHANNEL_PREFIX,
    ...observabilitySettings(vars),
  };
}
