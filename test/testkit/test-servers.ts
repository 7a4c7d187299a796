import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { Redis } from 'ioredis';
import { startEmbeddedPostgres } from './embedded-postgres.ts';
import { redisInstallHint, startPrivateRedis } from './redis-server.ts';

/** The Postgres and Redis servers a test run uses. */
export interface TestServers {
  /** Any database of the Postgres server, to create and drop the run's databases from. */
  postgresAdminUrl: string;
  redisUrl: string;
  /** One line saying what was used (and how long starting took), for the run's output. */
  summary: string;
  stop(): Promise<void>;
}

/** A server the run needs could not be had; the message names the cause and the way around it. */
export class TestServerError extends Error {}

const bypass = 'or set TEST_POSTGRES_URL and TEST_REDIS_URL to servers you run yourself';

/**
 * The servers of a run: those at TEST_POSTGRES_URL / TEST_REDIS_URL when set (checked
 * reachable), otherwise real ones started here on free ports (Postgres from the npm
 * registry, `redis-server` from PATH), stopped by `stop()`.
 */
export async function provideTestServers(env: NodeJS.ProcessEnv): Promise<TestServers> {
  const stops: (() => Promise<void>)[] = [];
  const parts: string[] = [];
  try {
    const postgresAdminUrl = await postgres(env.TEST_POSTGRES_URL, stops, parts);
    const redisUrl = await redis(env.TEST_REDIS_URL, stops, parts);
    return {
      postgresAdminUrl,
      redisUrl,
      summary: `Test servers: ${parts.join('; ')}`,
      stop: async () => {
        for (const stop of stops.reverse()) await stop();
      },
    };
  } catch (error) {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    throw error;
  }
}

async function postgres(given: string | undefined, stops: (() => Promise<void>)[], parts: string[]): Promise<string> {
  if (given) {
    await reachPostgres(given);
    parts.push('Postgres at TEST_POSTGRES_URL');
    return given;
  }
  const started = performance.now();
  const server = await startEmbeddedPostgres().catch((error: Error) => {
    throw new TestServerError(`Cannot start the tests' Postgres: ${error.message}. Fix that, ${bypass}.`);
  });
  stops.push(server.stop);
  parts.push(`embedded Postgres 15 started in ${seconds(started)}`);
  return server.adminUrl;
}

async function redis(given: string | undefined, stops: (() => Promise<void>)[], parts: string[]): Promise<string> {
  if (given) {
    await reachRedis(given);
    parts.push('Redis at TEST_REDIS_URL');
    return given;
  }
  const started = performance.now();
  const server = await startPrivateRedis().catch((error: Error) => {
    throw new TestServerError(`Cannot start the tests' Redis: ${error.message}; ${bypass}.`);
  });
  stops.push(server.stop);
  parts.push(`redis-server started in ${seconds(started)}`);
  return server.url;
}

async function reachPostgres(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new TestServerError(
      `Cannot reach Postgres at TEST_POSTGRES_URL (${redact(url)}): ${(error as Error).message}. Start it, or unset TEST_POSTGRES_URL and the tests start their own.`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function reachRedis(url: string): Promise<void> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 5_000 });
  let cause: Error | undefined;
  client.on('error', (error: Error) => (cause ??= error));
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    throw new TestServerError(
      `Cannot reach Redis at TEST_REDIS_URL (${redact(url)}): ${(cause ?? (error as Error)).message}. Start it, or unset TEST_REDIS_URL and the tests start their own redis-server (${redisInstallHint}).`,
    );
  } finally {
    client.disconnect();
  }
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'not a URL';
  }
}

function seconds(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}
