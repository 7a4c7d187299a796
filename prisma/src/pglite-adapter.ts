import type { PGlite } from '@electric-sql/pglite';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';

/**
 * The Prisma driver adapter for an embedded PGlite database.
 *
 * pglite-prisma-adapter 0.7 starts `executeScript` without awaiting it, so a failing
 * migration script would be reported as applied and its error lost. Until that is fixed
 * upstream we make every adapter it hands out (the shadow database's too) wait for the
 * script and fail with its error.
 */
export function pgliteAdapter(pglite: PGlite): SqlMigrationAwareDriverAdapterFactory {
  const factory = new PrismaPGlite(pglite);
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => awaitScripts(await factory.connect()),
    connectToShadowDb: async () => awaitScripts(await factory.connectToShadowDb()),
  };
}

function awaitScripts(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const client = (adapter as unknown as { client: PGlite }).client;
  adapter.executeScript = async (script: string) => {
    await client.exec(script);
  };
  return adapter;
}
