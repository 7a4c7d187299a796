import { startGraph, type RunningGraph } from '@token-nexus/launcher';
import { loadEnv, serviceEnv } from '@token-nexus/shared';
import { sleep } from './concurrency.ts';
import { freePortsEnv } from '@token-nexus/test/testkit/free-ports';

export interface BenchGraph extends RunningGraph {
  /** How many SQL statements the subgraphs have sent since the graph started. */
  statementCount(): number;
  /** The secret the subgraphs verify the gateway's signatures with. */
  signingSecret: string;
}

export interface BenchGraphOptions {
  /**
   * Redis for the shared state (rate-limit counters, ended sessions), as in production.
   * Without it, each service keeps that state in memory.
   */
  redisUrl?: string;
  /** More of the services' variables, added or overriding (subscription limits, say). */
  env?: Record<string, string>;
}

/**
 * Boots the real gateway and every subgraph on free ports against `databaseUrl`,
 * migrating it first, and counts the SQL statements they send.
 */
export async function startBenchGraph(
  databaseUrl: string,
  options: BenchGraphOptions = {},
): Promise<BenchGraph> {
  const env = {
    // As in the tests (development secrets). This configures the services only: libraries
    // read the process's own NODE_ENV (graphql-js keeps development-mode checks, a few
    // percent of the CPU time, unless it is `production`).
    NODE_ENV: 'test',
    // Logging every request would put the logger's cost into the measurement.
    LOG_LEVEL: 'silent',
    DATABASE_URL: databaseUrl,
    ...freePortsEnv(),
    TRUSTED_PROXY_HOPS: '1',
    // Long enough for the seeded viewer's access token to outlast any run (the default,
    // 15 minutes, would turn a long run into a stream of UNAUTHENTICATED errors).
    ACCESS_TOKEN_TTL_SECONDS: String(24 * 60 * 60),
    ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
    ...options.env,
  };
  // Apollo Server reads the process's NODE_ENV, not `env`: unless it is `test` (which
  // Vitest sets for the tests), every server installs SIGINT and SIGTERM handlers that stop
  // it and re-raise the signal, so Ctrl-C would end the process before the run cleans up.
  process.env.NODE_ENV = 'test';
  let statements = 0;
  const graph = await startGraph(env, {
    migrate: true,
    // Job workers poll the jobs schema on their own schedule; those are not requests' statements.
    onQuery: (sql) => {
      if (!sql.includes('"jobs"')) statements++;
    },
  });
  return {
    ...graph,
    statementCount: () => statements,
    // Derived from the same variables the services were given, so it is always the secret
    // they verify with (today the development one), with no second copy to keep in step.
    signingSecret: loadEnv(env, serviceEnv).GATEWAY_SIGNING_SECRET,
  };
}

/**
 * Waits until the graph has sent no SQL statement for 100 ms, so that requests still in
 * flight (after a run stops, fails or is interrupted) are done before measuring the next
 * thing or closing the graph. The export job worker polls every 500 ms, so it does not
 * keep the graph from settling.
 */
export async function settle(graph: BenchGraph): Promise<void> {
  let count: number;
  do {
    count = graph.statementCount();
    await sleep(100);
  } while (graph.statementCount() !== count);
}
