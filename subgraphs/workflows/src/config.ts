import {
  databaseEnv,
  developmentSecrets,
  identityUrlEnv,
  jobRunnerEnv,
  jobRunnerSettings,
  loadEnv,
  parseAllowList,
  port,
  positiveInt,
  secret,
  serviceEnv,
  subgraphCatalog,
  subgraphSettings,
  url,
  type Environment,
} from '@token-nexus/shared';
import { z } from 'zod';

export type WorkflowsConfig = ReturnType<typeof loadWorkflowsConfig>;

/** Whether the SSRF guard can read every entry (checked at start, not at a step's first call). */
function allowListReadable(entries: string[]): boolean {
  try {
    parseAllowList(entries);
    return true;
  } catch {
    return false;
  }
}

/** Reads and validates the workflows subgraph's configuration; throws ConfigError naming bad variables. */
export function loadWorkflowsConfig(env: Environment) {
  const vars = loadEnv(env, (context) => ({
    ...serviceEnv(context),
    ...databaseEnv(context),
    ...jobRunnerEnv(),
    WORKFLOWS_PORT: port(subgraphCatalog.workflows.defaultPort),
    ...identityUrlEnv(context),
    /** Encrypts the secret headers of httpRequest steps and inbound secrets at rest (they are needed in clear). */
    WORKFLOWS_MASTER_KEY: secret(context, developmentSecrets.workflowsMasterKey),
    /**
     * Where `graphql` and `aiPrompt` steps send their operation: the gateway's GraphQL URL.
     * When the whole graph runs in one process the launcher gives it once the gateway listens.
     */
    GATEWAY_URL: url(['http:', 'https:'], 'must be the gateway GraphQL URL, e.g. http://gateway:4000/graphql').optional(),
    /** Destinations httpRequest steps may reach although private or loopback (as WEBHOOK_ALLOW_LIST). */
    WORKFLOWS_HTTP_ALLOW_LIST: z
      .string()
      .default('')
      .transform((value) => value.split(',').map((entry) => entry.trim()).filter(Boolean))
      .refine(allowListReadable, 'must be comma-separated host:port, IP or CIDR entries'),
    /** Runs of one organization that may be in progress at once; the others wait their turn. */
    WORKFLOWS_MAX_CONCURRENT_RUNS: positiveInt(20),
    /** A run not over this long after it started fails (a delay counts). Default 31 days. */
    WORKFLOWS_MAX_RUN_SECONDS: positiveInt(31 * 24 * 3600),
    /**
     * The largest output one step may leave, in bytes of JSON (and four times that for all
     * variables). Above the 64 KB an httpRequest keeps of a response body, with room for its status and headers.
     */
    WORKFLOWS_MAX_OUTPUT_BYTES: positiveInt(128 * 1024),
    /** How long a worker holds a step it runs without renewing (a killed worker's step is retried after it). */
    WORKFLOWS_STEP_LEASE_MS: positiveInt(30_000),
    /** The first retry's delay; each next one doubles it (below 1,000 only to test retries quickly). */
    WORKFLOWS_RETRY_BASE_MS: positiveInt(1_000),
    /** How often event triggers read the platform's event outbox. */
    WORKFLOWS_EVENT_POLL_MS: positiveInt(500),
    /** How often schedules are checked for due ticks (the accuracy of a schedule's start). */
    WORKFLOWS_SCHEDULER_INTERVAL_MS: positiveInt(250),
  }));
  return {
    ...subgraphSettings(vars, vars.WORKFLOWS_PORT),
    jobs: jobRunnerSettings(vars),
    identityUrl: vars.IDENTITY_URL,
    masterKey: vars.WORKFLOWS_MASTER_KEY,
    gatewayUrl: vars.GATEWAY_URL,
    engine: {
      httpAllowList: vars.WORKFLOWS_HTTP_ALLOW_LIST,
      maxConcurrentRuns: vars.WORKFLOWS_MAX_CONCURRENT_RUNS,
      maxRunMs: vars.WORKFLOWS_MAX_RUN_SECONDS * 1000,
      maxOutputBytes: vars.WORKFLOWS_MAX_OUTPUT_BYTES,
      stepLeaseMs: vars.WORKFLOWS_STEP_LEASE_MS,
      retryBaseMs: vars.WORKFLOWS_RETRY_BASE_MS,
      eventPollMs: vars.WORKFLOWS_EVENT_POLL_MS,
      schedulerIntervalMs: vars.WORKFLOWS_SCHEDULER_INTERVAL_MS,
    },
  };
}
