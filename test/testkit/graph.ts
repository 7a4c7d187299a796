import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGraph, type RunningGraph } from '@token-nexus/launcher';
import { inject } from 'vitest';
import { GraphQLClient } from './client.ts';

export interface TestGraph extends RunningGraph {
  /** An anonymous client of the gateway; `.as(token)` for a signed-in one. */
  client: GraphQLClient;
  /** Every SQL statement the subgraphs sent, in order (clear it between measurements). */
  statements: string[];
}

/**
 * Boots the real gateway and every subgraph on free ports against this run's Postgres
 * database (see global-setup.ts). `env` overrides or adds variables.
 */
export async function startTestGraph(
  env: Record<string, string> = {},
  options: { migrate?: boolean } = {},
): Promise<TestGraph> {
  const statements: string[] = [];
  const graph = await startGraph(
    {
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      DATABASE_URL: inject('databaseUrl'),
      REDIS_URL: inject('redisUrl'),
      PORT: '0',
      IDENTITY_PORT: '0',
      AUDIT_PORT: '0',
      CMS_PORT: '0',
      TOKENS_PORT: '0',
      AI_PORT: '0',
      INTEGRATIONS_PORT: '0',
      ANALYTICS_PORT: '0',
      WORKFLOWS_PORT: '0',
      MEDIA_PORT: '0',
      // Uploads of this graph in a folder of its own (the embedded storage).
      MEDIA_DIR: join(tmpdir(), `tnx-test-media-${randomUUID()}`),
      // As behind a load balancer: the client's address is the last X-Forwarded-For entry.
      TRUSTED_PROXY_HOPS: '1',
      // Background loops (the token indexer, the webhook dispatcher, the workflow event
      // trigger and schedule keeper, the upload sweeper) would add statements to every
      // count; a test that needs one sets its interval.
      TOKENS_INDEXER_INTERVAL_MS: '3600000',
      WEBHOOK_DISPATCH_INTERVAL_MS: '3600000',
      WORKFLOWS_EVENT_POLL_MS: '3600000',
      WORKFLOWS_SCHEDULER_INTERVAL_MS: '3600000',
      MEDIA_SWEEP_INTERVAL_MS: '3600000',
      // Emails as .eml files in a folder of this graph's (a test that reads mail sets SMTP_URL).
      MAIL_DIR: join(tmpdir(), `tnx-test-mail-${randomUUID()}`),
      // Events of this graph only (pass the same prefix to graphs that must share them).
      EVENT_CHANNEL_PREFIX: `tnx-test-${randomUUID()}:`,
      ...env,
    },
    // The run's database is migrated once (global-setup.ts); a scratch one asks for it.
    { migrate: options.migrate ?? false, onQuery: (sql) => statements.push(sql) },
  );
  return { ...graph, client: new GraphQLClient(graph.gateway.url), statements };
}

/**
 * The statements a request itself sent: without the job machinery's (every instance polls
 * the jobs outbox, and any graph on the database may relay another file's jobs) and
 * without the analytics ingester's (tagged `analytics:background`), and without
 * transaction control, which a read never needs. What N+1 checks count.
 */
export function requestStatements(graph: Pick<TestGraph, 'statements'>): string[] {
  return graph.statements.filter(
    (sql) =>
      !sql.includes('"jobs"') &&
      !sql.includes('jobs.') &&
      !sql.includes('/* analytics:background */') &&
      !/^\s*(BEGIN|COMMIT|ROLLBACK)\b/i.test(sql),
  );
}
