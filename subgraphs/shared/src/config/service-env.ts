import { z } from 'zod';
import { developmentSecrets } from './development-secrets.ts';
import { logLevel, secret, url, type EnvContext } from './load-env.ts';

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
     * Redis, for state shared by every instance (ended sessions today; rate-limit
     * counters, pub/sub and jobs next). Unset: in-memory, which only holds when the whole
     * graph runs in one process, so production requires it.
     */
    REDIS_URL: context.production
      ? z.string({ message: 'is required in production' }).pipe(redisUrl)
      : redisUrl.optional(),
  };
}

/** The access-token key, read by identity (which signs) and the gateway (which verifies). */
export function accessTokenEnv(context: EnvContext) {
  return {
    AUTH_JWT_SECRET: secret(context, developmentSecrets.accessToken),
  };
}
