import type {
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import { readMigrationList } from './migration-files.ts';
import { openSchemaEngine } from './schema-engine.ts';

/**
 * Applies every migration of prisma/migrations that the database has not recorded yet,
 * recording them in Prisma's `_prisma_migrations` table (so `prisma migrate deploy` on a
 * machine with Prisma's native engine sees the same history).
 *
 * Safe to run again (applied migrations are skipped) and from several processes at once:
 * the schema engine holds Prisma's migration advisory lock (the one `prisma migrate
 * deploy` takes) on its own connection while it reads the history and applies, so one
 * process migrates and the others wait, then find nothing left to do.
 *
 * The engine never releases that session lock itself (the native CLI just exits), so the
 * connections it opened are closed here as soon as it is done; otherwise the lock would
 * live on in an idle pooled connection and stall the next migration.
 *
 * @param adapterFactory used for this run only; every adapter it hands out is disposed.
 * @returns the names of the migrations this call applied.
 */
export async function applyMigrations(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
): Promise<string[]> {
  const migrationsList = await readMigrationList();
  const opened: SqlDriverAdapter[] = [];
  const tracked: SqlMigrationAwareDriverAdapterFactory = {
    provider: adapterFactory.provider,
    adapterName: adapterFactory.adapterName,
    connect: async () => {
      const adapter = await adapterFactory.connect();
      opened.push(adapter);
      return adapter;
    },
    connectToShadowDb: async () => {
      const adapter = await adapterFactory.connectToShadowDb();
      opened.push(adapter);
      return adapter;
    },
  };
  const engine = await openSchemaEngine(tracked);
  try {
    const { appliedMigrationNames } = await engine.applyMigrations({
      migrationsList,
      filters: { externalTables: [], externalEnums: [] },
    });
    return appliedMigrationNames;
  } finally {
    engine.free();
    await Promise.all(opened.map((adapter) => adapter.dispose()));
  }
}
