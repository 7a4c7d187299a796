import { openDatabase } from '@token-nexus/prisma';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { TestServerError, provideTestServers } from './test-servers.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A database created for this test run, already migrated. */
    databaseUrl: string;
    /** A connection URL for creating and dropping more databases. */
    adminDatabaseUrl: string;
    /** The Redis server tests share (keys are namespaced by the code under test). */
    redisUrl: string;
  }
}

/**
 * Once per `vitest run`: the run's Postgres and Redis (TEST_POSTGRES_URL and
 * TEST_REDIS_URL, or real servers started for the run; see test-servers.ts), and a fresh,
 * migrated database on that Postgres, dropped afterwards with the servers started here.
 * A server that cannot be had stops the run at once with one line saying why.
 */
export default async function setup(project: TestProject) {
  const servers = await provideTestServers(process.env).catch((error: unknown) => {
    if (!(error instanceof TestServerError)) throw error;
    console.error(`\n${error.message}\n`);
    process.exit(1);
  });
  console.log(servers.summary);
  const adminUrl = servers.postgresAdminUrl;
  const name = `tnx_test_${Date.now()}_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ kind: 'postgres', url: url.toString() });
  await database.migrate();
  await database.close();
  project.provide('databaseUrl', url.toString());
  project.provide('adminDatabaseUrl', adminUrl);
  project.provide('redisUrl', servers.redisUrl);

  return async () => {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
    await servers.stop();
  };
}
