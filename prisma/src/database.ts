import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { trackDatabasePool } from '@token-nexus/shared';
import pg from 'pg';
import { PrismaClient } from './generated/client.ts';
import { lockEmbeddedDataDir } from './embedded-lock.ts';
import { ensureDatabase } from './ensure-database.ts';
import { pgliteAdapter, postgresMigrationAdapter } from './whole-script-adapter.ts';
import { applyMigrations } from './migrations/apply-migrations.ts';
import { tracedAdapterFactory } from './traced-adapter.ts';

/** Where the data lives: a Postgres server, or the embedded PGlite database in a folder. */
export type DatabaseTarget =
  | { kind: 'postgres'; url: string; poolSize?: number }
  | { kind: 'embedded'; dataDir: string };

export interface DatabaseOptions {
  /** Called with the SQL of every statement the client sends (statement counting, debugging). */
  onQuery?: (sql: string) => void;
}

/** An open database: one Prisma client for the process, and the means to migrate and close it. */
export interface Database {
  readonly target: DatabaseTarget;
  readonly prisma: PrismaClient;
  /** Applies pending migrations; safe to call again and from several processes at once. */
  migrate(): Promise<string[]>;
  /** Answers once the database responds to a query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens the database named by `target`. Postgres and the embedded PGlite database go
 * through the same Prisma client and the same migrations; only the driver adapter differs.
 */
export async function openDatabase(
  target: DatabaseTarget,
  options: DatabaseOptions = {},
): Promise<Database> {
  const { adapter, release, migrate } = await connect(target);
  const prisma = new PrismaClient({
    adapter,
    log: options.onQuery ? [{ level: 'query', emit: 'event' }] : [],
  });
  if (options.onQuery) {
    const onQuery = options.onQuery;
    (prisma as PrismaClient<'query'>).$on('query', (event) => onQuery(event.query));
  }
  return {
    target,
    prisma,
    migrate: () => migrate(),
    ping: async () => {
      await prisma.$queryRaw`SELECT 1`;
    },
    close: async () => {
      await prisma.$disconnect();
      await release();
    },
  };
}

async function connect(target: DatabaseTarget): Promise<{
  adapter: SqlDriverAdapterFactory;
  release: () => Promise<void>;
  migrate: () => Promise<string[]>;
}> {
  if (target.kind === 'postgres') {
    // The pool is ours (not the adapter's) so that its occupancy can be measured.
    const pool = new pg.Pool({ connectionString: target.url, max: target.poolSize ?? 10 });
    const untrack = trackDatabasePool('postgres', () => ({
      inUse: pool.totalCount - pool.idleCount,
      idle: pool.idleCount,
      waiting: pool.waitingCount,
    }));
    return {
      adapter: tracedAdapterFactory(new PrismaPg(pool, { disposeExternalPool: true })),
      release: async () => {
        untrack();
      },
      // Migrations get their own short-lived connection, closed when they are done; a
      // database that does not exist yet is created first (when the role may).
      migrate: async () => {
        await ensureDatabase(target.url);
        return applyMigrations(postgresMigrationAdapter(target.url));
      },
    };
  }
  const unlock = lockEmbeddedDataDir(target.dataDir);
  try {
    const pglite = await PGlite.create({ dataDir: target.dataDir });
    const adapter = tracedAdapterFactory(pgliteAdapter(pglite));
    // One process owns the embedded database and PGlite has a single session, in which
    // Postgres advisory locks are re-entrant; so concurrent calls queue here instead.
    let queue: Promise<unknown> = Promise.resolve();
    return {
      adapter,
      migrate: () => {
        const run = queue.then(() => applyMigrations(adapter));
        queue = run.catch(() => undefined);
        return run;
      },
      release: async () => {
        await pglite.close();
        unlock();
      },
    };
  } catch (error) {
    unlock();
    throw error;
  }
}
