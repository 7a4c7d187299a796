import pg from 'pg';
import { inject } from 'vitest';
import { randomUUID } from 'node:crypto';

export interface ScratchDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/**
 * A throw-away, empty database on the test server, for tests that must break or migrate
 * a database of their own without disturbing the run's shared one.
 */
export async function createScratchDatabase(): Promise<ScratchDatabase> {
  const adminUrl = inject('adminDatabaseUrl');
  const name = `tnx_scratch_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
