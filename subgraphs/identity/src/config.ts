import {
  accessTokenEnv,
  databaseEnv,
  jobRunnerEnv,
  jobRunnerSettings,
  mailEnv,
  mailSettings,
  url,
  loadEnv,
  port,
  positiveInt,
  serviceEnv,
  subgraphCatalog,
  subgraphSettings,
  type Environment,
} from '@token-nexus/shared';

export type IdentityConfig = ReturnType<typeof loadIdentityConfig>;

/** Reads and validates the identity subgraph's configuration; throws ConfigError naming bad variables. */
export function loadIdentityConfig(env: Environment) {
  const vars = loadEnv(env, (context) => ({
    ...serviceEnv(context),
    ...accessTokenEnv(context),
    ...databaseEnv(context),
    ...jobRunnerEnv(),
    ...mailEnv(context),
    /** Where emails link to (the dashboard app). */
    DASHBOARD_URL: url(['http:', 'https:'], 'must be an http(s) URL').default('http://localhost:3000'),
    IDENTITY_PORT: port(subgraphCatalog.identity.defaultPort),
    ACCESS_TOKEN_TTL_SECONDS: positiveInt(15 * 60),
    REFRESH_TOKEN_TTL_SECONDS: positiveInt(30 * 24 * 60 * 60),
  }));
  return {
    ...subgraphSettings(vars, vars.IDENTITY_PORT),
    jobs: jobRunnerSettings(vars),
    mail: mailSettings(vars),
    dashboardUrl: vars.DASHBOARD_URL,
    auth: {
      accessTokenSecret: vars.AUTH_JWT_SECRET,
      accessTokenTtlSeconds: vars.ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTtlSeconds: vars.REFRESH_TOKEN_TTL_SECONDS,
    },
  };
}
