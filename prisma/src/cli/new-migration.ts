/**
 * `pnpm migrate:new <name>`: writes the next migration from the difference between the
 * migrations folder and the schema files. Review the SQL, then commit it with the schema.
 */
import { mkdir, writeFile, access } from 'node:fs/promises';
import { join } from 'node:path';
import { paths } from '../migrations/migration-files.ts';
import { diffMigrationsAgainstSchema, migrationLockfile } from '../migrations/schema-diff.ts';

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: pnpm migrate:new <name>   (name: lower-case letters, digits, _)');
  process.exit(2);
}

const diff = await diffMigrationsAgainstSchema();
if (diff.inSync) {
  console.log('The migrations already match the schema files; nothing to write.');
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
const directory = join(paths.migrationsDir, `${stamp}_${name}`);
await mkdir(directory, { recursive: true });
await writeFile(join(directory, 'migration.sql'), diff.sql);
const lockfilePath = join(paths.migrationsDir, 'migration_lock.toml');
await access(lockfilePath).catch(() => writeFile(lockfilePath, migrationLockfile));
console.log(`Wrote ${directory}/migration.sql`);
