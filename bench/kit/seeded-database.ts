import { vacuumAfterSeeding, waitForBackgroundWork } from './background-work.ts';
import type { BenchServers } from './bench-servers.ts';
import { migrateDatabase, type Checkout } from './checkout.ts';
import { GraphQLClient } from './client.ts';
import { createScratchDatabase } from './database.ts';
import { productionEnv, startProductionGraph, type ProductionSetting } from './production-graph.ts';
import { progress } from './run-benchmark.ts';
import { StatementCounter } from './statement-stats.ts';

/** A checkout ready to measure: its own database, migrated and seeded, and what was seeded. */
export interface SeededDatabase<T> {
  checkout: Checkout;
  /** Where its graphs run, but for the cache setting. */
  setting: Omit<ProductionSetting, 'cache'>;
  /** Counts the statements sent to its database. */
  statements: StatementCounter;
  seeded: T;
  /** Drops its database. */
  close(): Promise<void>;
}

/**
 * Gives `checkout` a database of its own on the run's Postgres (its migrations may differ
 * from another checkout's), migrates it with the checkout's `pnpm migrate`, and runs `seed`
 * against the API of the checkout's graph, started for that alone (cache off, so that no
 * measured graph, nor its CPU profile, includes the seeding). Then brings the database to
 * rest: the background work the seeding caused done by that graph, VACUUM ANALYZE.
 */
export async function prepareSeededDatabase<T>(
  checkout: Checkout,
  servers: BenchServers,
  common: { secrets: Record<string, string>; runDir: string; keyPrefix: string },
  seed: (gateway: GraphQLClient, databaseUrl: string) => Promise<T>,
): Promise<SeededDatabase<T>> {
  const database = await createScratchDatabase(servers.postgresAdminUrl);
  try {
    await migrateDatabase(checkout, database.url);
    const statements = await StatementCounter.open(database.url);
    const setting = {
      databaseUrl: database.url,
      redisUrl: servers.redisUrl,
      smtpUrl: servers.smtpUrl,
      keyPrefix: common.keyPrefix,
      secrets: common.secrets,
    };
    const name = `${checkout.label} seeding`;
    const graph = await startProductionGraph(checkout, productionEnv({ ...setting, cache: 'off' }), { name, runDir: common.runDir, cpuProfile: false });
    let seeded: T;
    try {
      const startedAt = performance.now();
      seeded = await seed(new GraphQLClient(graph.url), database.url);
      // Emails and the like: sent by this graph, not during a later one's measurements.
      await waitForBackgroundWork(database.url);
      progress(`${checkout.label}: seeded in ${((performance.now() - startedAt) / 1000).toFixed(1)} s (background jobs done)`);
    } finally {
      await graph.stop();
    }
    await vacuumAfterSeeding(database.url);
    return {
      checkout,
      setting,
      statements,
      seeded,
      close: async () => {
        await statements.close();
        await database.drop();
      },
    };
  } catch (error) {
    await database.drop().catch(() => undefined);
    throw error;
  }
}
