import { StartupError } from '@token-nexus/shared';
import pg from 'pg';

/**
 * Makes sure the database `url` names exists before migrating it: a missing one is
 * created (from the server's `postgres` database) when the role may; otherwise, and when
 * the server cannot be reached, a StartupError says in one line what to do.
 *
 * @returns true when it created the database.
 */
export async function ensureDatabase(url: string): Promise<boolean> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1)) || decodeURIComponent(target.username) || 'postgres';
  const where = `${target.hostname}:${target.port || '5432'}`;
  const reached = await tryConnect(url);
  if (reached === true) return false;
  if (reached.code !== '3D000') {
    throw new StartupError(
      `Cannot reach Postgres at DATABASE_URL (${where}): ${reached.message}. Start it, fix DATABASE_URL, or unset DATABASE_URL to use the embedded database.`,
    );
  }
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: maintenance.toString(), connectionTimeoutMillis: 5_000 });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
    return true;
  } catch (error) {
    const code = (error as { code?: string }).code;
    // Another instance created it at the same moment: as good.
    if (code === '42P04') return false;
    const how = code === '42501' ? 'this role may not create databases' : (error as Error).message;
    throw new StartupError(
      `The database "${name}" does not exist on ${where} and could not be created (${how}): create it with \`createdb -h ${target.hostname} -p ${target.port || '5432'} ${name}\` as a role that may, or point DATABASE_URL at an existing one.`,
    );
  } finally {
    await admin.end().catch(() => undefined);
  }
}

async function tryConnect(url: string): Promise<true | { code?: string; message: string }> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    return true;
  } catch (error) {
    return { code: (error as { code?: string }).code, message: (error as Error).message };
  } finally {
    await client.end().catch(() => undefined);
  }
}
