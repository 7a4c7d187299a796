import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { url, type EnvContext } from './load-env.ts';

/**
 * The database variables every Postgres-backed service reads.
 * With no DATABASE_URL the service runs on the embedded database (PGlite) kept in
 * EMBEDDED_DATA_DIR, which is how the quick start needs nothing but Node.js. Production
 * requires DATABASE_URL.
 */
export function databaseEnv({ production }: EnvContext) {
  const databaseUrl = url(
    ['postgres:', 'postgresql:'],
    'must be a postgres:// or postgresql:// connection URL',
  );
  return {
    // The embedded database is for one process on a developer's machine; a production
    // process silently running on a private PGlite would lose data between restarts.
    DATABASE_URL: production
      ? z.string({ message: 'is required in production' }).pipe(databaseUrl)
      : databaseUrl.optional(),
    DATABASE_POOL_SIZE: z.coerce
      .number({ message: 'must be a whole number between 1 and 100' })
      .int()
      .min(1, 'must be a whole number between 1 and 100')
      .max(100, 'must be a whole number between 1 and 100')
      .default(10),
    EMBEDDED_DATA_DIR: z.string().default(defaultEmbeddedDataDir),
  };
}

/** `.data/pglite` at the repository root, whichever package a command runs from. */
const defaultEmbeddedDataDir = fileURLToPath(new URL('../../../../.data/pglite', import.meta.url));

export type DatabaseSettings =
  | { kind: 'postgres'; url: string; poolSize: number }
  | { kind: 'embedded'; dataDir: string };

export function databaseSettings(env: {
  DATABASE_URL?: string | undefined;
  DATABASE_POOL_SIZE: number;
  EMBEDDED_DATA_DIR: string;
}): DatabaseSettings {
  return env.DATABASE_URL
    ? { kind: 'postgres', url: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE }
    : { kind: 'embedded', dataDir: resolve(env.EMBEDDED_DATA_DIR) };
}
