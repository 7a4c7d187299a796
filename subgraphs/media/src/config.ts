import { fileURLToPath } from 'node:url';
import {
  ConfigError,
  databaseEnv,
  developmentSecrets,
  identityUrlEnv,
  jobRunnerEnv,
  jobRunnerSettings,
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

export type MediaConfig = ReturnType<typeof loadMediaConfig>;

const defaultMediaDir = fileURLToPath(new URL('../../../.data/media', import.meta.url));

const httpUrl = url(['http:', 'https:'], 'must be an http(s) URL');

/** Reads and validates the media subgraph's configuration; throws ConfigError naming bad variables. */
export function loadMediaConfig(env: Environment) {
  const vars = loadEnv(env, (context) => ({
    ...serviceEnv(context),
    ...databaseEnv(context),
    ...jobRunnerEnv(),
    MEDIA_PORT: port(subgraphCatalog.media.defaultPort),
    ...identityUrlEnv(context),
    /** The cms subgraph: media asks it which published pages use an asset before deleting it. */
    CMS_URL: httpUrl.default(`http://127.0.0.1:${subgraphCatalog.cms.defaultPort}/graphql`),
    /**
     * Where bytes live: `s3` (any S3-compatible storage, S3_* below) or `folder` (MEDIA_DIR,
     * served through the gateway; the embedded default). Default: s3 when S3_BUCKET is set.
     */
    MEDIA_STORAGE: z.enum(['s3', 'folder']).optional(),
    /** The folder storage's directory (default `.data/media` at the repository root, beside the embedded database). */
    MEDIA_DIR: z.string().min(1).default(defaultMediaDir),
    /** Signs the folder storage's upload and download URLs (HMAC). */
    MEDIA_URL_SECRET: secret(context, developmentSecrets.mediaUrlSecret),
    /**
     * The graph's public origin, which folder-storage URLs start with (the gateway serves
     * them). When the whole graph runs in one process the launcher gives it.
     */
    MEDIA_PUBLIC_ORIGIN: httpUrl.default('http://127.0.0.1:4000'),
    S3_ENDPOINT: httpUrl.optional(),
    S3_REGION: z.string().min(1).default('us-east-1'),
    S3_BUCKET: z.string().min(3).optional(),
    S3_ACCESS_KEY_ID: z.string().min(1).optional(),
    S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
    /** Path-style URLs (`endpoint/bucket/key`): MinIO and most S3-compatible servers need them. */
    S3_FORCE_PATH_STYLE: z.enum(['true', 'false']).default('true').transform((value) => value === 'true'),
    /** A public base URL of the bucket's variants (a CDN), for published pages; unset: long-lived signed URLs. */
    MEDIA_PUBLIC_BASE_URL: httpUrl.optional(),
    /** The largest file accepted (default 25 MB). */
    MEDIA_MAX_BYTES: positiveInt(25 * 1024 * 1024),
    /** What one organization may store in all, distinct files counted once (default 5 GB). */
    MEDIA_ORG_QUOTA_BYTES: z.coerce.number().int().positive().default(5 * 1024 ** 3),
    /** The most pixels an image may decode to: larger ones are refused as decompression bombs. */
    MEDIA_MAX_PIXELS: positiveInt(100_000_000),
    /** How long an upload URL works. */
    MEDIA_UPLOAD_EXPIRES_SECONDS: positiveInt(15 * 60),
    /** How often uploads nobody completed in time are swept (REJECTED, their bytes deleted). */
    MEDIA_SWEEP_INTERVAL_MS: positiveInt(60_000),
  }));
  const storage = vars.MEDIA_STORAGE ?? (vars.S3_BUCKET ? 's3' : 'folder');
  return {
    ...subgraphSettings(vars, vars.MEDIA_PORT),
    jobs: jobRunnerSettings(vars),
    identityUrl: vars.IDENTITY_URL,
    cmsUrl: vars.CMS_URL,
    storage:
      storage === 's3'
        ? {
            kind: 's3' as const,
            endpoint: vars.S3_ENDPOINT,
            region: vars.S3_REGION,
            bucket: required(vars.S3_BUCKET, 'S3_BUCKET'),
            accessKeyId: required(vars.S3_ACCESS_KEY_ID, 'S3_ACCESS_KEY_ID'),
            secretAccessKey: required(vars.S3_SECRET_ACCESS_KEY, 'S3_SECRET_ACCESS_KEY'),
            forcePathStyle: vars.S3_FORCE_PATH_STYLE,
            publicBaseUrl: vars.MEDIA_PUBLIC_BASE_URL ?? null,
          }
        : { kind: 'folder' as const, directory: vars.MEDIA_DIR },
    urlSecret: vars.MEDIA_URL_SECRET,
    publicOrigin: vars.MEDIA_PUBLIC_ORIGIN.replace(/\/$/, ''),
    limits: {
      maxBytes: vars.MEDIA_MAX_BYTES,
      orgQuotaBytes: vars.MEDIA_ORG_QUOTA_BYTES,
      maxPixels: vars.MEDIA_MAX_PIXELS,
      uploadExpiresSeconds: vars.MEDIA_UPLOAD_EXPIRES_SECONDS,
      sweepIntervalMs: vars.MEDIA_SWEEP_INTERVAL_MS,
    },
  };
}

function required(value: string | undefined, name: string): string {
  if (!value) throw new ConfigError([{ variable: name, message: 'is required when MEDIA_STORAGE is s3' }]);
  return value;
}
