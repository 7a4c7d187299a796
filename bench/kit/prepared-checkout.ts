import type { BenchServers } from './bench-servers.ts';
import { grantSystemAdmin, type Checkout } from './checkout.ts';
import type { GraphQLClient } from './client.ts';
import type { BenchUser, MixWorld } from './dashboard-mix.ts';
import { benchUser, mixCounts, seedMixWorld } from './mix-seed.ts';
import type { ProductionSetting } from './production-graph.ts';
import { progress } from './run-benchmark.ts';
import { seedOrganizations } from './seed.ts';
import { prepareSeededDatabase } from './seeded-database.ts';
import type { StatementCounter } from './statement-stats.ts';

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
 * The mix's checkout: its own database (see prepareSeededDatabase), seeded with the mix's
 * organizations and the dashboard viewer through the API.
 */
export async function prepareCheckout(
  checkout: Checkout,
  servers: BenchServers,
  common: { secrets: Record<string, string>; runDir: string },
): Promise<PreparedCheckout> {
  const { seeded, ...prepared } = await prepareSeededDatabase(
    checkout,
    servers,
    { ...common, keyPrefix: `tnx-bench-${checkout.label}:` },
    (gateway, databaseUrl) => seed(checkout, gateway, databaseUrl),
  );
  return { ...prepared, ...seeded };
}

async function seed(checkout: Checkout, gateway: GraphQLClient, databaseUrl: string): Promise<{ world: MixWorld; dashboardViewer: BenchUser }> {
  const { organizations, membersPerOrganization } = mixCounts;
  progress(`${checkout.label}: seeding the mix (${organizations} organizations × ${membersPerOrganization} members) through the API…`);
  const world = await seedMixWorld(gateway, (email) => grantSystemAdmin(checkout, databaseUrl, email));
  progress(
    `${checkout.label}: seeding the dashboard viewer (${dashboardViewerCounts.organizations} organizations × ` +
      `${dashboardViewerCounts.membersPerOrganization} members)…`,
  );
  const { viewer } = await seedOrganizations(gateway, dashboardViewerCounts);
  return { world, dashboardViewer: benchUser(viewer, 0) };
}
