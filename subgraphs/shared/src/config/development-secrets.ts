/**
 * Stand-ins for the shared secrets when NODE_ENV is not `production`, so the quick start
 * and the tests run with no setup. They are public (they are in this repository): a
 * production process refuses to start without real ones.
 */
export const developmentSecrets = {
  gatewaySigning: 'development-only gateway signing secret: never use in production',
  accessToken: 'development-only access token secret: never use in production',
  /** The tokens subgraph's master key for deployer keys (hashed to 32 bytes). */
  tokensMasterKey: 'development-only master key for deployer keys: never use in production',
  /** The ai subgraph's master key for organizations' provider keys. */
  aiMasterKey: 'development-only master key for AI provider keys: never use in production',
  /** The integrations subgraph's master key for webhook signing secrets. */
  integrationsMasterKey: 'development-only master key for webhook secrets: never use in production',
  /** The workflows subgraph's master key for the secret headers of httpRequest steps. */
  workflowsMasterKey: 'development-only master key for workflow step secrets: never use in production',
  /** The media subgraph's key for the upload and download URLs it signs on the embedded folder storage. */
  mediaUrlSecret: 'development-only key for media URLs: never use in production',
} as const;
