import {
  databaseEnv,
  jobRunnerEnv,
  jobRunnerSettings,
  developmentSecrets,
  identityUrlEnv,
  loadEnv,
  port,
  positiveInt,
  secret,
  serviceEnv,
  subgraphCatalog,
  subgraphSettings,
  type Environment,
} from '@token-nexus/shared';
import { z } from 'zod';

export type IntegrationsConfig = ReturnType<typeof loadIntegrationsConfig>;

/** Reads and validates the integrations subgraph's configuration; throws ConfigError naming bad variables. */
export function loadIntegrationsConfig(env: Environment) {
  const vars = loadEnv(env, (context) => ({
    ...serviceEnv(context),
    ...databaseEnv(context),
    ...jobRunnerEnv(),
    INTEGRATIONS_PORT: port(subgraphCatalog.integrations.defaultPort),
    ...identityUrlEnv(context),
    /** Encrypts webhook signing secrets at rest (they are needed in clear to sign). */
    INTEGRATIONS_MASTER_KEY: secret(context, developmentSecrets.integrationsMasterKey),
    /**
     * Destinations webhooks may reach although they are private or loopback (comma-separated
     * `host:port`, IPs or CIDRs): an operator's exception, e.g. a receiver on the same host.
     */
    WEBHOOK_ALLOW_LIST: z
      .string()
      .default('')
      .transform((value) => value.split(',').map((entry) => entry.trim()).filter(Boolean)),
    /** How often the outbox is read for new events to deliver. */
    WEBHOOK_DISPATCH_INTERVAL_MS: positiveInt(1_000),
    /** How long a receiver has to answer 2xx. */
    WEBHOOK_TIMEOUT_MS: positiveInt(15_000),
    /** Multiplies the retry schedule (5 s, 5 min, 30 min…); below 1 only to test it quickly. */
    WEBHOOK_RETRY_SCALE: z.coerce.number().positive().max(1).default(1),
  }));
  return {
    ...subgraphSettings(vars, vars.INTEGRATIONS_PORT),
    jobs: jobRunnerSettings(vars),
    identityUrl: vars.IDENTITY_URL,
    masterKey: vars.INTEGRATIONS_MASTER_KEY,
    webhookAllowList: vars.WEBHOOK_ALLOW_LIST,
    webhooks: {
      dispatchIntervalMs: vars.WEBHOOK_DISPATCH_INTERVAL_MS,
      timeoutMs: vars.WEBHOOK_TIMEOUT_MS,
      retryScale: vars.WEBHOOK_RETRY_SCALE,
    },
  };
}
