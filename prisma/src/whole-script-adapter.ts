import type { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type {
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import type pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';

/**
 * Migration scripts must reach the database whole. The driver adapters Prisma's schema
 * engine uses do not do that today:
 * - @prisma/adapter-pg 7.10 splits a script on every `;`, which cuts a PL/pgSQL function
 *   body (our audit trail's append-only trigger) into broken statements;
 * - pglite-prisma-adapter 0.7 starts the script without awaiting it, so a failing
 *   migration would be reported as applied and its error lost.
 * These factories hand out adapters whose `executeScript` sends the script as one
 * simple-protocol query (which runs multi-statement scripts natively) and waits for it.
 * Only migrations use them; queries go through the adapters unchanged.
 */
export function postgresMigrationAdapter(url: string): SqlMigrationAwareDriverAdapterFactory {
  return wholeScripts(new PrismaPg({ connectionString: url, max: 1 }), (adapter) => {
    const pool = (adapter as unknown as { underlyingDriver(): pg.Pool }).underlyingDriver();
    return async (script) => {
      await pool.query(script);
    };
  });
}

/** The PGlite adapter, for migrations and queries alike (see above for why). */
export function pgliteAdapter(pglite: PGlite): SqlMigrationAwareDriverAdapterFactory {
  return wholeScripts(new PrismaPGlite(pglite), (adapter) => {
    const client = (adapter as unknown as { client: PGlite }).client;
    return async (script) => {
      await client.exec(script);
    };
  });
}

function wholeScripts(
  factory: SqlMigrationAwareDriverAdapterFactory,
  runnerFor: (adapter: SqlDriverAdapter) => (script: string) => Promise<void>,
): SqlMigrationAwareDriverAdapterFactory {
  const patch = (adapter: SqlDriverAdapter) => {
    adapter.executeScript = runnerFor(adapter);
    return adapter;
  };
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => patch(await factory.connect()),
    connectToShadowDb: async () => patch(await factory.connectToShadowDb()),
  };
}
