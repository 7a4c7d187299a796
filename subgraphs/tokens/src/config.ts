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

export type TokensConfig = ReturnType<typeof loadTokensConfig>;

/** Reads and validates the tokens subgraph's configuration; throws ConfigError naming bad variables. */
export function loadTokensConfig(env: Environment) {
  const vars = loadEnv(env, (context) => ({
    ...serviceEnv(context),
    ...databaseEnv(context),
    ...jobRunnerEnv(),
    TOKENS_PORT: port(subgraphCatalog.tokens.defaultPort),
    ...identityUrlEnv(context),
    /**
     * Encrypts the deployer keys at rest (AES-256-GCM under its SHA-256). Losing it loses
     * every deployer key; changing it makes them unreadable.
     */
    TOKENS_MASTER_KEY: secret(context, developmentSecrets.tokensMasterKey),
    /** How often the indexer reads new blocks of every chain that has deployed tokens. */
    TOKENS_INDEXER_INTERVAL_MS: positiveInt(2_000),
    /** How long one JSON-RPC call to a chain may take before it counts as down. */
    TOKENS_RPC_TIMEOUT_MS: positiveInt(10_000),
    /**
     * How long an RPC endpoint that failed is skipped before calls try it again (and so
     * return to a preferred endpoint that recovered), and how long a job waits before
     * trying again a chain none of whose endpoints answered.
     */
    TOKENS_RPC_RECHECK_MS: positiveInt(15_000),
    /** How often the scanner looks at every chain (head, block time, each endpoint's health). */
    TOKENS_SCAN_INTERVAL_MS: positiveInt(15_000),
    /** How long a job waits for a sent transaction's confirmations before it retries. */
    TOKENS_CONFIRMATION_TIMEOUT_MS: positiveInt(120_000),
    /** How often a job asks the chain whether its transaction is mined and confirmed. */
    TOKENS_RECEIPT_POLL_MS: positiveInt(500),
    /** Attempts of a chain job (a deployment, a transaction) before it fails for good. */
    TOKENS_JOB_MAX_ATTEMPTS: positiveInt(6),
    /** The first retry's delay; each next one doubles (with jitter), up to an hour. */
    TOKENS_JOB_RETRY_BASE_MS: positiveInt(2_000),
  }));
  return {
    ...subgraphSettings(vars, vars.TOKENS_PORT),
    jobs: jobRunnerSettings(vars),
    identityUrl: vars.IDENTITY_URL,
    masterKey: vars.TOKENS_MASTER_KEY,
    chain: {
      indexerIntervalMs: vars.TOKENS_INDEXER_INTERVAL_MS,
      rpcTimeoutMs: vars.TOKENS_RPC_TIMEOUT_MS,
      rpcRecheckMs: vars.TOKENS_RPC_RECHECK_MS,
      scanIntervalMs: vars.TOKENS_SCAN_INTERVAL_MS,
      confirmationTimeoutMs: vars.TOKENS_CONFIRMATION_TIMEOUT_MS,
      receiptPollMs: vars.TOKENS_RECEIPT_POLL_MS,
      jobMaxAttempts: vars.TOKENS_JOB_MAX_ATTEMPTS,
      jobRetryBaseMs: vars.TOKENS_JOB_RETRY_BASE_MS,
    },
  };
}
