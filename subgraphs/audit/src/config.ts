import {
  databaseEnv,
  databaseSettings,
  loadEnv,
  port,
  identityUrlEnv,
  serviceEnv,
  subgraphCatalog,
  type Environment,
} from '@token-nexus/shared';

export type AuditConfig = ReturnType<typeof loadAuditConfig>;

/** Reads and validates the audit subgraph's configuration; throws ConfigError naming bad variables. */
export function loadAuditConfig(env: Environment) {
  const vars = loadEnv(env, (context) => ({
    ...serviceEnv(context),
    ...databaseEnv(context),
    AUDIT_PORT: port(subgraphCatalog.audit.defaultPort),
    ...identityUrlEnv(context),
  }));
  return {
    production: vars.NODE_ENV === 'production',
    logLevel: vars.LOG_LEVEL,
    server: { host: vars.HOST, port: vars.AUDIT_PORT },
    signingSecret: vars.GATEWAY_SIGNING_SECRET,
    database: databaseSettings(vars),
    redisUrl: vars.REDIS_URL,
    eventChannelPrefix: vars.EVENT_CHANNEL_PREFIX,
    identityUrl: vars.IDENTITY_URL,
  };
}
