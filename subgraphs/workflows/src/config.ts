import {
  databaseEnv,
  developmentSecrets,
  identityUrlEnv,
  loadEnv,
  port,
  secret,
  serviceEnv,
  subgraphCatalog,
  subgraphSettings,
  type Environment,
} from '@token-nexus/shared';

export type WorkflowsConfig = ReturnType<typeof loadWorkflowsConfig>;

/** Reads and validates the workflows subgraph's configuration; throws ConfigError naming bad variables. */
export function loadWorkflowsConfig(env: Environment) {
  const vars = loadEnv(env, (context) => ({
    ...serviceEnv(context),
    ...databaseEnv(context),
    WORKFLOWS_PORT: port(subgraphCatalog.workflows.defaultPort),
    ...identityUrlEnv(context),
    /** Encrypts the secret headers of httpRequest steps at rest (they are needed in clear to send). */
    WORKFLOWS_MASTER_KEY: secret(context, developmentSecrets.workflowsMasterKey),
  }));
  return {
    ...subgraphSettings(vars, vars.WORKFLOWS_PORT),
    identityUrl: vars.IDENTITY_URL,
    masterKey: vars.WORKFLOWS_MASTER_KEY,
  };
}
