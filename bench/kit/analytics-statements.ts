import pg from 'pg';
import { sleep } from './concurrency.ts';

/** One statement (as pg_stat_statements normalises it) and what it cost since the last reset. */
export interface StatementCost {
  query: string;
  calls: number;
  totalMs: number;
  rows: number;
}

/**
 * Statements the graph runs on its own, whatever the requests: the job runner's polls of
 * jobs.jobs and the analytics ingester's rounds and keeper (every statement of theirs is
 * marked `analytics:background`).
 */
export function isBackground(query: string): boolean {
  return query.includes('analytics:background') || query.includes('jobs.jobs') || query.includes('"jobs"."jobs"');
}

/**
 * The statements sent to one database, by text, from pg_stat_statements (the server must
 * preload it, as bench-servers.ts starts it): unlike statement-stats.ts, which counts
 * calls alone, these keep each statement's text and time, so that a run can say which
 * statements its figures are made of.
 */
export class StatementLedger {
  private constructor(private readonly client: pg.Client) {}

  static async open(databaseUrl: string): Promise<StatementLedger> {
    const client = new pg.Client({ connectionString: databaseUrl });
    client.on('error', () => {});
    await client.connect();
    try {
      await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    } catch (error) {
      await client.end();
      throw error;
    }
    return new StatementLedger(client);
  }

  /** Starts from zero (the whole server's statistics). */
  async reset(): Promise<void> {
    await this.client.query('SELECT pg_stat_statements_reset()');
  }

  /** Every statement sent to this database since the reset but this ledger's own, the costliest first. */
  async statements(): Promise<StatementCost[]> {
    const { rows } = await this.client.query<{ query: string; calls: string; total_ms: number; rows: string }>(
      `SELECT query, calls, total_exec_time AS total_ms, rows
       FROM pg_stat_statements
       WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
         AND query NOT LIKE '%pg_stat_statements%'
       ORDER BY total_exec_time DESC`,
    );
    return rows.map((row) => ({ query: row.query, calls: Number(row.calls), totalMs: row.total_ms, rows: Number(row.rows) }));
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}

/** The statements one request costs, on average. */
export interface PerRequestStatements {
  requests: number;
  /** Statements that ran at least once per two requests (the request's own), per request. */
  total: number;
  /** Of those, the ones reading analytics.rollups. */
  rollupReads: number;
  /**
   * Every other statement meanwhile, per request: fewer than one per two requests, so not
   * the request's own (another subgraph's poll or job, a batched counter's flush).
   */
  occasional: number;
  /** Each statement's calls per request, most first (those under 0.05 per request left out). */
  statements: { query: string; perRequest: number }[];
}

/** A statement that runs at least this often per request is one of the request's own. */
export const ownShare = 0.5;

/**
 * The statements `send` costs per call, sent `requests` times one after the other:
 * background statements (see isBackground) are left out, any other statement the idle
 * graph also ran in the `idleMs` before (an outbox's poll, say) counts only what it ran
 * beyond its idle rate, and of the rest, those that ran at least once per two requests
 * are the request's own (`total`); the others are told apart (`occasional`): polls and
 * jobs too rare to show in the idle window, batched writes such as the gateway's request
 * counts.
 */
export async function statementsPerRequest(
  ledger: StatementLedger,
  send: () => Promise<void>,
  requests: number,
  idleMs: number,
): Promise<PerRequestStatements> {
  await ledger.reset();
  const idleStart = performance.now();
  await sleep(idleMs);
  const idle = await ledger.statements();
  const idleElapsed = performance.now() - idleStart;
  await ledger.reset();
  const start = performance.now();
  for (let index = 0; index < requests; index++) await send();
  const measured = await ledger.statements();
  const elapsed = performance.now() - start;
  const idleCalls = new Map(idle.map((statement) => [statement.query, statement.calls]));
  const statements = measured
    .filter((statement) => !isBackground(statement.query))
    .map((statement) => ({
      query: statement.query,
      perRequest: Math.max(0, statement.calls - ((idleCalls.get(statement.query) ?? 0) * elapsed) / idleElapsed) / requests,
    }))
    .filter((statement) => statement.perRequest >= 0.05)
    .sort((a, b) => b.perRequest - a.perRequest);
  const sum = (list: typeof statements) => list.reduce((total, statement) => total + statement.perRequest, 0);
  const own = statements.filter((statement) => statement.perRequest >= ownShare);
  return {
    requests,
    total: sum(own),
    rollupReads: sum(own.filter((statement) => statement.query.includes('analytics.rollups'))),
    occasional: sum(statements) - sum(own),
    statements,
  };
}

/** A statement's text on one line, cut to `length`: enough to recognise it in a report. */
export function shortQuery(query: string, length = 110): string {
  const line = query.replace(/\/\*.*?\*\//g, '').replace(/\s+/g, ' ').trim();
  return line.length > length ? `${line.slice(0, length - 1)}…` : line;
}
