import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { startGraphProcess } from '@token-nexus/test/testkit/graph-process';
import { benchMetricsToken } from './cache-metrics.ts';
import type { Checkout } from './checkout.ts';

/** Where the graph runs and with what, beside the settings every production graph of a run shares. */
export interface ProductionSetting {
  databaseUrl: string;
  redisUrl: string;
  smtpUrl: string;
  /** The deployment's Redis prefix: one per checkout, so two checkouts' graphs never share keys. */
  keyPrefix: string;
  /** The secrets of the run (see `runSecrets`). */
  secrets: Record<string, string>;
  /** GATEWAY_CACHE: the gateway's response cache. */
  cache: 'on' | 'off';
}

/**
 * Shared secrets made up for one run. Every graph of the run gets the same ones, so an
 * access token from the graph that seeded a database is valid on every later graph on it.
 */
export function runSecrets(): Record<string, string> {
  const secret = () => randomBytes(32).toString('base64url');
  return {
    GATEWAY_SIGNING_SECRET: secret(),
    AUTH_JWT_SECRET: secret(),
    TOKENS_MASTER_KEY: secret(),
    AI_MASTER_KEY: secret(),
    INTEGRATIONS_MASTER_KEY: secret(),
    WORKFLOWS_MASTER_KEY: secret(),
    MEDIA_URL_SECRET: secret(),
  };
}

/** The environment of a graph as production runs it (NODE_ENV=production refuses to start without each of these). */
export function productionEnv(setting: ProductionSetting): Record<string, string> {
  return {
    NODE_ENV: 'production',
    ...setting.secrets,
    DATABASE_URL: setting.databaseUrl,
    REDIS_URL: setting.redisUrl,
    EVENT_CHANNEL_PREFIX: setting.keyPrefix,
    SMTP_URL: setting.smtpUrl,
    MAIL_FROM: 'Token Nexus bench <bench@example.com>',
    // Free ports: the gateway's is read from what it prints, identity's from its log.
    ...Object.fromEntries(
      ['PORT', 'IDENTITY_PORT', 'AUDIT_PORT', 'CMS_PORT', 'TOKENS_PORT', 'AI_PORT', 'INTEGRATIONS_PORT', 'ANALYTICS_PORT', 'WORKFLOWS_PORT', 'MEDIA_PORT'].map(
        (name) => [name, '0'],
      ),
    ),
    // As production logs: writing a line per request is part of what a request costs.
    LOG_LEVEL: 'info',
    // The load comes as from behind one proxy, each simulated user from their own address.
    TRUSTED_PROXY_HOPS: '1',
    // Seeded tokens must outlast every graph of the run (the default is 15 minutes).
    ACCESS_TOKEN_TTL_SECONDS: String(24 * 60 * 60),
    GATEWAY_CACHE: setting.cache,
    // The bench reads the gateway's cache counters from /metrics (production serves them to this bearer only).
    METRICS_TOKEN: benchMetricsToken,
  };
}

/** A graph running in a process of its own, as `pnpm start` runs it. */
export interface ProductionGraph {
  name: string;
  /** The gateway's GraphQL endpoint. */
  url: string;
  /** The identity subgraph's, for requests that skip the gateway. */
  identityUrl: string;
  /** Where its output goes. */
  logFile: string;
  /** Stops it with SIGINT, as Ctrl-C would; @returns the CPU profiles it wrote, if profiling. */
  stop(): Promise<string[]>;
}

/**
 * Starts `checkout`'s graph (`node --import tsx launcher/src/main.ts` in its folder)
 * with `env`, its output in `<runDir>/<name>.log`; with `cpuProfile`, under Node's CPU
 * profiler, writing to `<runDir>/profiles/<name>/` when it stops.
 */
export async function startProductionGraph(
  checkout: Checkout,
  env: Record<string, string>,
  options: { name: string; runDir: string; cpuProfile: boolean },
): Promise<ProductionGraph> {
  const fileName = options.name.replace(/[^a-z0-9]+/gi, '-');
  const logFile = join(options.runDir, `${fileName}.log`);
  const profileDir = join(options.runDir, 'profiles', fileName);
  const graph = await startGraphProcess(env, {
    cwd: checkout.dir,
    logFile,
    nodeOptions: options.cpuProfile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
  });
  const identityPort = listeningPort(graph.output(), 'identity');
  if (identityPort === undefined) {
    await graph.kill();
    throw new Error(`${options.name}: the identity subgraph logged no port (see ${logFile})`);
  }
  return {
    name: options.name,
    url: graph.url,
    identityUrl: `http://127.0.0.1:${identityPort}/graphql`,
    logFile,
    stop: async () => {
      const code = await graph.stop();
      if (code !== 0) throw new Error(`${options.name} did not stop cleanly (exit code ${String(code)}; see ${logFile})`);
      if (!options.cpuProfile) return [];
      const files = await readdir(profileDir);
      return files.filter((file) => file.endsWith('.cpuprofile')).map((file) => join(profileDir, file));
    },
  };
}

/** The port from a subgraph's `<name> subgraph listening` log line (JSON, one per line). */
function listeningPort(output: string, subgraph: string): number | undefined {
  for (const line of output.split('\n')) {
    if (!line.includes(`"${subgraph} subgraph listening"`)) continue;
    try {
      const entry = JSON.parse(line) as { port?: unknown };
      if (typeof entry.port === 'number') return entry.port;
    } catch {
      // Not a log line after all.
    }
  }
  return undefined;
}
