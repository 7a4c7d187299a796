import pg from 'pg';

export interface ScratchDatabase {
  /** A connection URL for the new, empty database. */
  url: string;
  /** Drops the database, closing any connection still open to it. */
  drop(): Promise<void>;
}

/**
 * Creates an empty Postgres database for one benchmark run, next to whatever database
 * `adminUrl` names (any database on the server will do), the way the test run's global
 * setup does. A fresh database keeps runs comparable: no rows or bloat left by earlier ones.
 */
export async function createScratchDatabase(adminUrl: string): Promise<ScratchDatabase> {
  const name = `tnx_bench_${Date.now()}_${process.pid}`;
  await withAdminClient(adminUrl, async (admin) => {
    await admin.query(`CREATE DATABASE "${name}"`);
  });
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () =>
      withAdminClient(adminUrl, async (admin) => {
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      }),
  };
}

/** A short-lived admin connection, so none stays open (and idle) during the measurement. */
async function withAdminClient<T>(adminUrl: string, use: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    return await use(admin);
  } finally {
    await admin.end();
  }
}
