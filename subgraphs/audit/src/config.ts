import {
  databaseEnv,
  jobRunnerEnv,
  jobRunnerSettings,
  loadEnv,
  port,
  identityUrlEnv,
  serviceEnv,
  subgraphCatalog,
  subgraphSettings,
  type Environment,
} from '@token-nexus/shared';

export type AuditConfig = ReturnType<typeof loadAuditConfig>;

/** Reads and validates the audit subgraph's configuration; throws ConfigError naming bad variables. */
export function loadAuditConfig(env: Environment) {
  const vars = loadEnv(env, (context) => ({
    ...serviceEnv(context),
    ...databaseEnv(context),
    ...jobRunnerEnv(),
    AUDIT_PORT: port(subgraphCatalog.audit.defaultPort),
    ...identityUrlEnv(context),
  }));
  return {
    ...subgraphSettings(vars, vars.AUDIT_PORT),
    jobs: jobRunnerSettings(vars),
    identityUrl: vars.IDENTITY_URL,
  };
}
