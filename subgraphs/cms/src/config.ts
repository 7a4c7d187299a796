import {
  databaseEnv,
  loadEnv,
  port,
  positiveInt,
  identityUrlEnv,
  jobRunnerEnv,
  jobRunnerSettings,
  serviceEnv,
  subgraphCatalog,
  subgraphSettings,
  url,
  type Environment,
} from '@token-nexus/shared';

export type CmsConfig = ReturnType<typeof loadCmsConfig>;

/** Reads and validates the cms subgraph's configuration; throws ConfigError naming bad variables. */
export function loadCmsConfig(env: Environment) {
  const vars = loadEnv(env, (context) => ({
    ...serviceEnv(context),
    ...databaseEnv(context),
    ...jobRunnerEnv(),
    CMS_PORT: port(subgraphCatalog.cms.defaultPort),
    /** How long a live editor stays present without a sign of life (updatePresence). */
    PRESENCE_TTL_SECONDS: positiveInt(30),
    /**
     * How many versions behind the page a live edit may be made, or a reconnecting editor
     * catch up from; further behind, it reloads the page (CONFLICT).
     */
    LIVE_EDIT_MAX_VERSIONS_BEHIND: positiveInt(1000),
    ...identityUrlEnv(context),
    /**
     * The media subgraph: asked whether the assets a page's `media` props name are READY
     * assets of its organization. When the whole graph runs in one process the launcher gives it.
     */
    MEDIA_URL: url(['http:', 'https:'], 'must be an http(s) URL of the media GraphQL endpoint').default(
      `http://127.0.0.1:${subgraphCatalog.media.defaultPort}/graphql`,
    ),
  }));
  return {
    ...subgraphSettings(vars, vars.CMS_PORT),
    jobs: jobRunnerSettings(vars),
    identityUrl: vars.IDENTITY_URL,
    mediaUrl: vars.MEDIA_URL,
    presenceTtlMs: vars.PRESENCE_TTL_SECONDS * 1000,
    maxVersionsBehind: vars.LIVE_EDIT_MAX_VERSIONS_BEHIND,
  };
}
