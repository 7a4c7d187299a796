import { vacuumAfterSeeding, waitForBackgroundWork } from './background-work.ts';
import type { BenchServers } from './bench-servers.ts';
import { grantSystemAdmin, migrateDatabase, type Checkout } from './checkout.ts';
import { GraphQLClient } from './client.ts';
import type { BenchUser, MixWorld } from './dashboard-mix.ts';
import { createScratchDatabase } from './database.ts';
import { benchUser, mixCounts, seedMixWorld } from './mix-seed.ts';
import { productionEnv, startProductionGraph, type ProductionSetting } from './production-graph.ts';
import { progress } from './run-benchmark.ts';
import { seedOrganizations } from './seed.ts';
import { StatementCounter } from './statement-stats.ts';

/**
 * The dashboard query alone is measured as the first `pnpm bench` measured it (38.6 req/s
 * at 10 connections, the figure its target is 3× of): by a viewer of this many
 * organizations, each with this many members.
 */
export const dashboardViewerCounts = { organizations: 10, membersPerOrganization: 20 };

/** A checkout ready to measure: its own database, migrated and seeded, and what was seeded. */
export interface PreparedCheckout {
  checkout: Checkout;
  /** Where its graphs run, but for the cache setting. */
  setting: Omit<ProductionSetting, 'cache'>;
  /** Counts the statements sent to its database. */
  statements: StatementCounter;
  world: MixWorld;
  /** Member of `dashboardViewerCounts.organizations` organizations. */
  dashboardViewer: BenchUser;
  /** Drops its database. */
  close(): Promise<void>;
}

/**
 * Gives `checkout` a database of its own on the run's Postgres (its migrations may differ
 * from another checkout's), migrates it with the checkout's `pnpm migrate`, and seeds it
 * through the public API of the checkout's graph, started for that alone (so that no
 * measured graph, nor its CPU profile, includes the seeding), then brings it to rest
 * (see `vacuumAfterSeeding`).
 */
export async function prepareCheckout(
  checkout: Checkout,
  servers: BenchServers,
  common: { secrets: Record<string, string>; runDir: string },
): Promise<PreparedCheckout> {
  const database = await createScratchDatabase(servers.postgresAdminUrl);
  try {
    await migrateDatabase(checkout, database.url);
    const statements = await StatementCounter.open(database.url);
    const setting = {
      databaseUrl: database.url,
      redisUrl: servers.redisUrl,
      smtpUrl: servers.smtpUrl,
      keyPrefix: `tnx-bench-${checkout.label}:`,
      secrets: common.secrets,
    };
    const seeded = await seed(checkout, setting, common.runDir, database.url);
    await vacuumAfterSeeding(database.url);
    return {
      checkout,
      setting,
      statements,
      ...seeded,
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

async function seed(
  checkout: Checkout,
  setting: Omit<ProductionSetting, 'cache'>,
  runDir: string,
  databaseUrl: string,
): Promise<{ world: MixWorld; dashboardViewer: BenchUser }> {
  const name = `${checkout.label} seeding`;
  const graph = await startProductionGraph(checkout, productionEnv({ ...setting, cache: 'off' }), { name, runDir, cpuProfile: false });
  try {
    const gateway = new GraphQLClient(graph.url);
    const { organizations, membersPerOrganization } = mixCounts;
    progress(`${checkout.label}: seeding the mix (${organizations} organizations × ${membersPerOrganization} members) through the API…`);
    const startedAt = performance.now();
    const world = await seedMixWorld(gateway, (email) => grantSystemAdmin(checkout, databaseUrl, email));
    progress(
      `${checkout.label}: seeding the dashboard viewer (${dashboardViewerCounts.organizations} organizations × ` +
        `${dashboardViewerCounts.membersPerOrganization} members)…`,
    );
    const { viewer } = await seedOrganizations(gateway, dashboardViewerCounts);
    // Invitation emails: sent by this graph, not during a later one's measurements.
    await waitForBackgroundWork(databaseUrl);
    progress(`${checkout.label}: seeded in ${((performance.now() - startedAt) / 1000).toFixed(1)} s (background jobs done)`);
    return { world, dashboardViewer: benchUser(viewer, 0) };
  } finally {
    await graph.stop();
  }
}
