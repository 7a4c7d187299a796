import {
  databaseEnv,
  developmentSecrets,
  identityUrlEnv,
  loadEnv,
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

export type AiConfig = ReturnType<typeof loadAiConfig>;

const httpUrl = url(['http:', 'https:'], 'must be an http(s) URL');
/** A subgraph the assistant's tools read from, with the asking user's own claims. */
const toolSource = (name: 'tokens' | 'cms' | 'audit') =>
  httpUrl.default(`http://127.0.0.1:${subgraphCatalog[name].defaultPort}/graphql`);

/** Reads and validates the ai subgraph's configuration; throws ConfigError naming bad variables. */
export function loadAiConfig(env: Environment) {
  const vars = loadEnv(env, (context) => ({
    ...serviceEnv(context),
    ...databaseEnv(context),
    AI_PORT: port(subgraphCatalog.ai.defaultPort),
    ...identityUrlEnv(context),
    TOKENS_URL: toolSource('tokens'),
    CMS_URL: toolSource('cms'),
    AUDIT_URL: toolSource('audit'),
    /** Encrypts organizations' provider keys at rest (AES-256-GCM). */
    AI_MASTER_KEY: secret(context, developmentSecrets.aiMasterKey),
    /**
     * The platform's OpenAI-compatible API (OpenAI, Azure OpenAI, Ollama, vLLM, LM Studio);
     * unset: none, and each organization must set its own (updateAiSettings).
     */
    AI_PROVIDER_BASE_URL: httpUrl.optional(),
    AI_PROVIDER_API_KEY: z.string().min(1).optional(),
    AI_DEFAULT_MODEL: z.string().min(1).default('gpt-4o-mini'),
    /** US dollars per 1,000 prompt / completion tokens, for the usage's estimated cost. */
    AI_PRICE_PER_1K_PROMPT: z.coerce.number().min(0).default(0),
    AI_PRICE_PER_1K_COMPLETION: z.coerce.number().min(0).default(0),
    /** How long one provider request may take, and how long it may go silent mid-stream. */
    AI_PROVIDER_TIMEOUT_MS: positiveInt(60_000),
    AI_PROVIDER_IDLE_TIMEOUT_MS: positiveInt(30_000),
    AI_PROVIDER_MAX_ATTEMPTS: positiveInt(4),
    AI_PROVIDER_RETRY_BASE_MS: positiveInt(500),
    /**
     * How long a reply stays with the instance writing it without a renewal (renewed every
     * third of it), and how often each instance looks for replies whose writer vanished
     * (a killed process): those end FAILED within the sum of the two.
     */
    AI_REPLY_LEASE_MS: positiveInt(30_000),
    AI_REPLY_SWEEP_INTERVAL_MS: positiveInt(5_000),
  }));
  return {
    ...subgraphSettings(vars, vars.AI_PORT),
    identityUrl: vars.IDENTITY_URL,
    toolSources: { identity: vars.IDENTITY_URL, tokens: vars.TOKENS_URL, cms: vars.CMS_URL, audit: vars.AUDIT_URL },
    masterKey: vars.AI_MASTER_KEY,
    provider: {
      baseUrl: vars.AI_PROVIDER_BASE_URL ?? null,
      apiKey: vars.AI_PROVIDER_API_KEY ?? null,
      defaultModel: vars.AI_DEFAULT_MODEL,
      timeoutMs: vars.AI_PROVIDER_TIMEOUT_MS,
      idleTimeoutMs: vars.AI_PROVIDER_IDLE_TIMEOUT_MS,
      maxAttempts: vars.AI_PROVIDER_MAX_ATTEMPTS,
      retryBaseMs: vars.AI_PROVIDER_RETRY_BASE_MS,
    },
    leases: { leaseMs: vars.AI_REPLY_LEASE_MS, sweepIntervalMs: vars.AI_REPLY_SWEEP_INTERVAL_MS },
    prices: { promptPer1k: vars.AI_PRICE_PER_1K_PROMPT, completionPer1k: vars.AI_PRICE_PER_1K_COMPLETION },
  };
}
