import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffMigrationsAgainstSchema, openDatabase, prismaPaths } from '@token-nexus/prisma';
import pg from 'pg';
import { describe, expect, test } from 'vitest';
import { runEntryPoint } from '../testkit/run-entry-point.ts';
import { createScratchDatabase } from '../testkit/scratch-database.ts';

/** Runs `pnpm migrate`'s entry point as its own process, as an operator or a container would. */
async function migrateProcess(env: Record<string, string>) {
  return runEntryPoint('prisma/src/cli/migrate.ts', [], env);
}

async function appliedMigrations(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const rows = await client.query(
      'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name',
    );
    return rows.rows.map((row) => row.migration_name);
  } finally {
    await client.end();
  }
}

describe('the migrations and the schema files', () => {
  test('agree: replaying the migrations builds exactly what the schema files describe', async () => {
    const diff = await diffMigrationsAgainstSchema();
    expect(diff.sql.replace(/--.*$/gm, '').trim()).toBe('');
    expect(diff.inSync).toBe(true);
    // Every migration replayed on a fresh embedded database: tens of seconds on a loaded machine.
  }, 120_000);

  test('a schema change without a migration is reported as drift, with the missing SQL', async () => {
    const schemaDir = await mkdtemp(join(tmpdir(), 'tnx-schema-'));
    try {
      await cp(prismaPaths.schemaDir, schemaDir, { recursive: true });
      const identity = join(schemaDir, 'identity.prisma');
      const source = await readFile(identity, 'utf8');
      await writeFile(
        identity,
        source.replace('displayName      String', 'nickname         String?\n  displayName      String'),
      );
      const diff = await diffMigrationsAgainstSchema({ schemaDir });
      expect(diff.inSync).toBe(false);
      expect(diff.sql).toMatch(/ALTER TABLE "identity"\."users" ADD COLUMN\s+"nickname" TEXT/);
    } finally {
      await rm(schemaDir, { recursive: true, force: true });
    }
  });
});

describe('pnpm migrate', () => {
  test('applies every migration once; running it again applies nothing', async () => {
    const scratch = await createScratchDatabase();
    try {
      const first = await migrateProcess({ DATABASE_URL: scratch.url });
      expect(first.code).toBe(0);
      expect(first.stdout).toMatch(/Applied \d+ migration/);
      const second = await migrateProcess({ DATABASE_URL: scratch.url });
      expect(second.stdout).toContain('up to date');
      const onDisk = await readdir(prismaPaths.migrationsDir, { withFileTypes: true });
      const expected = onDisk.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
      expect(await appliedMigrations(scratch.url)).toEqual(expected);
    } finally {
      await scratch.drop();
    }
  });

  test('from three processes at once: exactly one migrates, the others find nothing to do', async () => {
    const scratch = await createScratchDatabase();
    try {
      const results = await Promise.all([1, 2, 3].map(() => migrateProcess({ DATABASE_URL: scratch.url })));
      expect(results.map((result) => result.code)).toEqual([0, 0, 0]);
      const outputs = results.map((result) => result.stdout);
      expect(outputs.filter((output) => /Applied \d+ migration/.test(output))).toHaveLength(1);
      expect(outputs.filter((output) => output.includes('up to date'))).toHaveLength(2);
      const names = await appliedMigrations(scratch.url);
      expect(new Set(names).size).toBe(names.length);
    } finally {
      await scratch.drop();
    }
  });

  test('names a bad DATABASE_URL and fails', async () => {
    const failure = await migrateProcess({ DATABASE_URL: 'mysql://nope' });
    expect(failure.code).toBe(1);
    expect(failure.stderr).toContain('DATABASE_URL');
  });
});

describe('the embedded database', () => {
  test('is migrated by the same migrations, keeps its data across restarts, and belongs to one process', async () => {
    const dataDir = join(await mkdtemp(join(tmpdir(), 'tnx-embedded-')), 'pglite');
    try {
      const first = await openDatabase({ kind: 'embedded', dataDir });
      expect((await first.migrate()).length).toBeGreaterThan(0);
      await first.prisma.user.create({
        data: { email: 'kept@example.com', displayName: 'Kept', passwordHash: 'x' },
      });
      const busy = await migrateProcess({ EMBEDDED_DATA_DIR: dataDir });
      expect(busy.code).not.toBe(0);
      expect(busy.stderr).toMatch(/in use by process/);
      await expect(openDatabase({ kind: 'embedded', dataDir })).rejects.toThrow(/in use by process/);
      await first.close();

      const second = await openDatabase({ kind: 'embedded', dataDir });
      expect(await second.migrate()).toEqual([]);
      expect(await second.prisma.user.count({ where: { email: 'kept@example.com' } })).toBe(1);
      await second.close();
    } finally {
      await rm(join(dataDir, '..'), { recursive: true, force: true });
    }
  }, 120_000);
});
