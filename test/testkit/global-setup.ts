import { openDatabase } from '@token-nexus/prisma';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

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
 * Once per `vitest run`: creates a fresh, migrated Postgres database for the run and drops
 * it afterwards. TEST_POSTGRES_URL points at the server (any database on it);
 * TEST_REDIS_URL at Redis.
 */
export default async function setup(project: TestProject) {
  const adminUrl = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
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
  project.provide('redisUrl', process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');

  return async () => {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  };
}
