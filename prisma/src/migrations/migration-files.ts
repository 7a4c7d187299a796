import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MigrationList, SchemasContainer } from '@prisma/schema-engine-wasm';

const prismaDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where the schema files and the migrations live; one place so scripts and tests agree. */
export const paths = {
  schemaDir: join(prismaDir, 'schema'),
  migrationsDir: join(prismaDir, 'migrations'),
};

const lockfileName = 'migration_lock.toml';

/** Reads every `*.prisma` file of the schema folder, in name order. */
export async function readSchemaFiles(schemaDir = paths.schemaDir): Promise<SchemasContainer> {
  const names = (await readdir(schemaDir)).filter((name) => name.endsWith('.prisma')).sort();
  const files = await Promise.all(
    names.map(async (name) => {
      const path = join(schemaDir, name);
      return { path, content: await readFile(path, 'utf8') };
    }),
  );
  return { files };
}

/** Reads the migrations folder in the shape Prisma's schema engine expects. */
export async function readMigrationList(migrationsDir = paths.migrationsDir): Promise<MigrationList> {
  const entries = await readdir(migrationsDir, { withFileTypes: true });
  const directories = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const migrationDirectories = await Promise.all(
    directories.map(async (name) => ({
      path: name,
      migrationFile: {
        path: 'migration.sql',
        content: await readFile(join(migrationsDir, name, 'migration.sql'), 'utf8').then(
          (sql) => ({ tag: 'ok' as const, value: sql }),
          (error: Error) => ({ tag: 'error' as const, value: error.message }),
        ),
      },
    })),
  );
  const lockfileContent = await readFile(join(migrationsDir, lockfileName), 'utf8').catch(
    () => null,
  );
  return {
    baseDir: migrationsDir,
    lockfile: { path: lockfileName, content: lockfileContent },
    shadowDbInitScript: '',
    migrationDirectories,
  };
}
