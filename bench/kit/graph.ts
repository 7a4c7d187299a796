import { startGraph, type RunningGraph } from '@token-nexus/gateway/launcher';
import { loadEnv, serviceEnv } from '@token-nexus/shared';

export interface BenchGraph extends RunningGraph {
  /** How many SQL statements the subgraphs have sent since the graph started. */
  statementCount(): number;
  /** The secret the subgraphs verify the gateway's signatures with. */
  signingSecret: string;
}

/**
 * Boots the real gateway and every subgraph on free ports against `databaseUrl`,
 * migrating it first, and counts the SQL statements they send.
 */
export async function startBenchGraph(databaseUrl: string): Promise<BenchGraph> {
  const env = {
    NODE_ENV: 'test',
    // Logging every request would put the logger's cost into the measurement.
    LOG_LEVEL: 'silent',
    DATABASE_URL: databaseUrl,
    PORT: '0',
    IDENTITY_PORT: '0',
  };
  let statements = 0;
  const graph = await startGraph(env, { migrate: true, onQuery: () => statements++ });
  return {
    ...graph,
    statementCount: () => statements,
    // Read from the same variables the services were given, so the benchmark signs with
    // whatever secret they verify with (the development one unless GATEWAY_SIGNING_SECRET is set).
    signingSecret: loadEnv(env, serviceEnv).GATEWAY_SIGNING_SECRET,
  };
}
