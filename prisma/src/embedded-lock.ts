import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { StartupError } from '@token-nexus/shared';

/**
 * Takes an exclusive, process-wide lock on the embedded database's folder.
 *
 * PGlite keeps a whole Postgres in one process; a second process opening the same folder
 * would corrupt it. The lock is a file holding the owner's pid; a lock left behind by a
 * process that no longer runs is taken over.
 *
 * @returns a function that releases the lock.
 */
export function lockEmbeddedDataDir(dataDir: string): () => void {
  const lockPath = `${dataDir}.lock`;
  mkdirSync(dirname(lockPath), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readFileSync(lockPath, 'utf8'));
      if (isRunning(owner)) {
        throw new StartupError(
          `The embedded database at ${dataDir} is in use by process ${owner} (another pnpm start?): ` +
            'stop that process, set EMBEDDED_DATA_DIR to another folder, or set DATABASE_URL to use a Postgres server.',
        );
      }
      rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`Could not lock the embedded database at ${dataDir}`);
}

function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
