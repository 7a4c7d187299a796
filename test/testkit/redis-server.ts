import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { closedPort } from './ports.ts';

export interface PrivateRedis {
  url: string;
  /** Stops the server (as an outage would). */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty. */
  start(): Promise<void>;
}

/** What to tell someone whose machine has no `redis-server`. */
export const redisInstallHint =
  'install Redis 7 with `sudo apt-get install redis-server` (Debian, Ubuntu) or `brew install redis` (macOS)';

/**
 * A Redis server of the caller's own, on a free port, that it may stop and start (to
 * simulate an outage) without disturbing any other: `redis-server` from PATH (the npm
 * registry has no Redis server), keeping nothing on disk.
 */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await closedPort();
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    // Whichever comes first: it answers, it cannot be run, or it exits (a port taken).
    const outcome = new Promise<void>((resolve, reject) => {
      child!.once('error', (error: NodeJS.ErrnoException) =>
        reject(error.code === 'ENOENT' ? new Error(`redis-server is not on PATH: ${redisInstallHint}`) : error),
      );
      child!.once('exit', (code) => reject(new Error(`redis-server exited at start (code ${String(code)}) on port ${port}`)));
      waitForPing(port).then(resolve, reject);
    });
    await outcome;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    start,
    stop: async () => {
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    },
  };
}

async function waitForPing(port: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    // A refused connection while the server starts is expected; connect() reports it.
    client.on('error', () => {});
    try {
      await client.connect();
      await client.ping();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      client.disconnect();
    }
  }
}
