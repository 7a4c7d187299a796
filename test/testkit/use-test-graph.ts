import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';
import { startTestGraph, type TestGraph } from './graph.ts';
import { createScratchDatabase, type ScratchDatabase } from './scratch-database.ts';

export interface GraphFixture {
  /** The running graph (gateway + subgraphs) of this test file. */
  readonly graph: TestGraph;
  /** A plain SQL connection to the run's database, for asserting on stored rows. */
  readonly db: pg.Client;
}

/**
 * Boots one graph for the whole test file (in `beforeAll`) and stops it afterwards, with
 * a SQL connection beside it. Use it at the top of a file: `const fixture = useTestGraph();`
 */
export function useTestGraph(env: Record<string, string> = {}): GraphFixture {
  let graph: TestGraph | undefined;
  let db: pg.Client | undefined;
  beforeAll(async () => {
    graph = await startTestGraph(env);
    db = new pg.Client({ connectionString: inject('databaseUrl') });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await graph?.close();
  });
  return {
    get graph() {
      if (!graph) throw new Error('the graph starts in beforeAll; use it inside tests');
      return graph;
    },
    get db() {
      if (!db) throw new Error('the database connection opens in beforeAll; use it inside tests');
      return db;
    },
  };
}

/**
 * Like useTestGraph, on a database of the file's own (created, migrated, dropped after):
 * for tests whose graph must be the only one on its database, e.g. because they depend on
 * which graph runs a background job. `env` may be a function, called in `beforeAll`
 * (after the hooks registered before it), for values known only then.
 */
export function useTestGraphOnOwnDatabase(
  env: Record<string, string> | (() => Record<string, string>) = {},
): GraphFixture & { readonly databaseUrl: string } {
  let scratch: ScratchDatabase | undefined;
  let graph: TestGraph | undefined;
  let db: pg.Client | undefined;
  beforeAll(async () => {
    scratch = await createScratchDatabase();
    const extra = typeof env === 'function' ? env() : env;
    graph = await startTestGraph({ ...extra, DATABASE_URL: scratch.url }, { migrate: true });
    db = new pg.Client({ connectionString: scratch.url });
    await db.connect();
  }, 120_000);
  afterAll(async () => {
    await db?.end();
    await graph?.close();
    await scratch?.drop();
  });
  return {
    get graph() {
      if (!graph) throw new Error('the graph starts in beforeAll; use it inside tests');
      return graph;
    },
    get db() {
      if (!db) throw new Error('the database connection opens in beforeAll; use it inside tests');
      return db;
    },
    get databaseUrl() {
      if (!scratch) throw new Error('the database is created in beforeAll; use it inside tests');
      return scratch.url;
    },
  };
}
