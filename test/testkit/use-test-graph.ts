import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';
import { startTestGraph, type TestGraph } from './graph.ts';

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
