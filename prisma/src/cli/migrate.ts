/**
 * `pnpm migrate`: applies pending migrations to DATABASE_URL, or to the embedded database
 * (EMBEDDED_DATA_DIR, default .data/pglite) when DATABASE_URL is unset. Needs no network.
 * Safe to run again, and from several processes at once (one migrates, the others wait).
 */
import { ConfigError, StartupError, databaseEnv, databaseSettings, loadEnv } from '@token-nexus/shared';
import { openDatabase } from '../database.ts';

try {
  const settings = databaseSettings(loadEnv(process.env, databaseEnv));
  const database = await openDatabase(settings);
  try {
    const applied = await database.migrate();
    console.log(
      applied.length === 0
        ? 'The database is up to date.'
        : `Applied ${applied.length} migration(s):\n${applied.map((name) => `  ${name}`).join('\n')}`,
    );
  } finally {
    await database.close();
  }
  // The schema engine leaves its 10 s advisory-lock timeout timer running after a
  // successful run; nothing else is pending, so end now rather than idle for 10 s.
  process.exit(0);
} catch (error) {
  if (error instanceof ConfigError || error instanceof StartupError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
