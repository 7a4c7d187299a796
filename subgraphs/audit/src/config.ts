import {
  databaseEnv,
  databaseSettings,
  loadEnv,
  port,
  serviceEnv,
  subgraphCatalog,
  url,
  type Environment,
} from '@token-nexus/shared';
import { z } from 'zod';

export type AuditConfig = ReturnType<typeof loadAuditConfig>;

/** Reads and validates the audit subgraph's configuration; throws ConfigError naming bad variables. */
export function loadAuditConfig(env: Environment) {
  const vars = loadEnv(env, (context) => {
    const identityUrl = url(['http:', 'https:'], 'must be an http(s) URL of the identity GraphQL endpoint');
    return {
      ...serviceEnv(context),
      ...databaseEnv(context),
      AUDIT_PORT: port(subgraphCatalog.audit.defaultPort),
      /** Where to ask who may read an organization's trail (identity owns roles). */
      IDENTITY_URL: context.production
        ? z.string({ message: 'is required in production' }).pipe(identityUrl)
        : identityUrl.default(`http://127.0.0.1:${subgraphCatalog.identity.defaultPort}/graphql`),
    };
  });
  return {
    production: vars.NODE_ENV === 'production',
    logLevel: vars.LOG_LEVEL,
    server: { host: vars.HOST, port: vars.AUDIT_PORT },
    signingSecret: vars.GATEWAY_SIGNING_SECRET,
    database: databaseSettings(vars),
    redisUrl: vars.REDIS_URL,
    identityUrl: vars.IDENTITY_URL,
  };
}
