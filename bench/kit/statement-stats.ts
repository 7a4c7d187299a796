import pg from 'pg';
import { sleep } from './concurrency.ts';

/**
 * The statements of the database's clients, from pg_stat_statements: every statement's
 * calls, of this database only, without this counter's own (each of which names
 * pg_stat_statements) and without the job runner's (it polls jobs.jobs some 16 times a
 * second per graph whatever the load, and no request of the runs makes a job), nor the
 * analytics ingester's (tagged `analytics:background`: its rounds run whatever the load).
 * Statements inside functions and triggers are not counted on their own
 * (`pg_stat_statements.track = top`): these are the statements the graph sends.
 */
const totalCalls = `
  SELECT coalesce(sum(calls), 0)::bigint AS calls
  FROM pg_stat_statements
  WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
    AND query NOT LIKE '%pg_stat_statements%'
    AND query NOT LIKE '%jobs.jobs%'
    AND query NOT LIKE '%"jobs"."jobs"%'
    AND query NOT LIKE '%analytics:background%'`;

/**
 * Counts the SQL statements sent to one database, by anyone (the graph runs in another
 * process, so it cannot count them itself). Needs the server started with
 * `shared_preload_libraries=pg_stat_statements`.
 */
export class StatementCounter {
  private constructor(private readonly client: pg.Client) {}

  /** Connects to `databaseUrl` and creates the extension there (the server must preload it). */
  static async open(databaseUrl: string): Promise<StatementCounter> {
    const client = new pg.Client({ connectionString: databaseUrl });
    // A server that stops (Ctrl-C reaches it too) ends the idle connection: the next query
    // then fails with the reason, rather than the unhandled event ending this process.
    client.on('error', () => {});
    await client.connect();
    try {
      await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    } catch (error) {
      await client.end();
      throw error;
    }
    return new StatementCounter(client);
  }

  /** Starts counting from zero (for the whole server: other databases are filtered out anyway). */
  async reset(): Promise<void> {
    await this.client.query('SELECT pg_stat_statements_reset()');
  }

  /** Statements sent since the last reset. */
  async total(): Promise<number> {
    const { rows } = await this.client.query<{ calls: string }>(totalCalls);
    return Number(rows[0]!.calls);
  }

  /**
   * Waits until requests still in flight are done: until the count grows by no more than
   * the idle graph's own background statements (outbox and lease polls) in 300 ms, or 10 s.
   */
  async settle(): Promise<void> {
    const idleStatements = 10;
    const deadline = Date.now() + 10_000;
    let previous = await this.total();
    while (Date.now() < deadline) {
      await sleep(300);
      const current = await this.total();
      if (current - previous <= idleStatements) return;
      previous = current;
    }
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}
