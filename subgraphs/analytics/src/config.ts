import {
  databaseEnv,
  identityUrlEnv,
  jobRunnerEnv,
  jobRunnerSettings,
  loadEnv,
  port,
  positiveInt,
  serviceEnv,
  subgraphCatalog,
  subgraphSettings,
  url,
  type Environment,
} from '@token-nexus/shared';

export type AnalyticsConfig = ReturnType<typeof loadAnalyticsConfig>;

/** Reads and validates the analytics subgraph's configuration; throws ConfigError naming bad variables. */
export function loadAnalyticsConfig(env: Environment) {
  const vars = loadEnv(env, (context) => ({
    ...serviceEnv(context),
    ...databaseEnv(context),
    ...jobRunnerEnv(),
    ANALYTICS_PORT: port(subgraphCatalog.analytics.defaultPort),
    ...identityUrlEnv(context),
    /** Where published pages are looked up for anonymous page views (the cms subgraph). */
    CMS_URL: url(['http:', 'https:'], 'must be an http(s) URL of the cms GraphQL endpoint').default(
      `http://127.0.0.1:${subgraphCatalog.cms.defaultPort}/graphql`,
    ),
    /** Days raw events (tracked events, request counts) are kept; rollups are kept for good. */
    ANALYTICS_RETENTION_DAYS: positiveInt(90),
    /** The pause between ingest rounds that found little to do (the lag from commit to rollup). */
    ANALYTICS_INGEST_INTERVAL_MS: positiveInt(500),
    /** Rows each source reads at most per ingest round (one transaction). */
    ANALYTICS_INGEST_BATCH_SIZE: positiveInt(5_000),
  }));
  return {
    ...subgraphSettings(vars, vars.ANALYTICS_PORT),
    jobs: jobRunnerSettings(vars),
    identityUrl: vars.IDENTITY_URL,
    cmsUrl: vars.CMS_URL,
    retentionDays: vars.ANALYTICS_RETENTION_DAYS,
    ingest: {
      batchSize: vars.ANALYTICS_INGEST_BATCH_SIZE,
      pollIntervalMs: vars.ANALYTICS_INGEST_INTERVAL_MS,
      jobDurationMs: 60_000,
      maintenanceIntervalMs: 10 * 60_000,
    },
  };
}
