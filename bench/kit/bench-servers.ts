import { randomBytes } from 'node:crypto';
import { startEmbeddedPostgres } from '@token-nexus/test/testkit/embedded-postgres';
import { startPrivateRedis } from '@token-nexus/test/testkit/redis-server';
import { startSmtpReceiver } from '@token-nexus/test/testkit/smtp-receiver';
import { startOtlpSink, type OtlpSink } from './otlp-sink.ts';

/** The servers a graph runs on in production, private to one benchmark run. */
export interface BenchServers {
  /** Any database of the Postgres server, to create and drop the run's databases from. */
  postgresAdminUrl: string;
  redisUrl: string;
  /** An SMTP server that accepts every message (and keeps it, in this process). */
  smtpUrl: string;
  /** An OTLP/HTTP collector that counts the traces sent to it, for graphs that export them. */
  otlp: OtlpSink;
  stop(): Promise<void>;
}

/**
 * Postgres as production runs it, plus pg_stat_statements (loaded at start, as it must
 * be) so the run can count the statements the graph sends. The test server's defaults
 * turn durability off, which makes commits nearly free: turned back on here, since what a
 * mutation costs a user includes its commit.
 */
const postgresFlags = [
  ...['-c', 'shared_preload_libraries=pg_stat_statements'],
  ...['-c', 'fsync=on', '-c', 'synchronous_commit=on', '-c', 'full_page_writes=on'],
];

/**
 * Starts the run's own servers, as the tests start theirs (see test/testkit): Postgres 15
 * from the npm registry, `redis-server` from PATH, and an SMTP sink, so mail jobs succeed
 * in the background instead of retrying against nothing during the measurements; and an
 * OTLP sink, for the graphs that export traces.
 */
export async function startBenchServers(): Promise<BenchServers> {
  const stops: (() => Promise<void>)[] = [];
  try {
    const postgres = await startEmbeddedPostgres({ postgresFlags });
    stops.push(postgres.stop);
    const redis = await startPrivateRedis();
    stops.push(redis.stop);
    const smtp = await startSmtpReceiver({ user: 'bench', pass: randomBytes(12).toString('hex') });
    stops.push(smtp.close);
    const otlp = await startOtlpSink();
    stops.push(otlp.close);
    return {
      postgresAdminUrl: postgres.adminUrl,
      redisUrl: redis.url,
      smtpUrl: smtp.url,
      otlp,
      stop: () => stopAll(stops),
    };
  } catch (error) {
    await stopAll(stops).catch(() => undefined);
    throw error;
  }
}

/** Stops the servers started last first, each even if one before it failed to stop. */
async function stopAll(stops: (() => Promise<void>)[]): Promise<void> {
  const failures: unknown[] = [];
  for (const stop of [...stops].reverse()) await stop().catch((error: unknown) => failures.push(error));
  if (failures.length > 0) throw new AggregateError(failures, 'some servers of the run did not stop cleanly');
}
