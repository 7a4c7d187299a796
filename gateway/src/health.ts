import { fetch, type Agent } from 'undici';
import {
  MirroredSessionRevocations,
  sendJson,
  type CacheTagVersions,
  type SessionRevocations,
  type SubgraphName,
} from '@token-nexus/shared';
import type { Route } from './http/router.ts';

type Status = 'ok' | 'unavailable';

/** Redis: reachable, away, or not configured (the embedded default keeps that state in memory). */
type RedisStatus = Status | 'in-memory';

export interface Readiness {
  /** Ready to serve: every subgraph answers. */
  ready: boolean;
  body: {
    status: Status;
    subgraphs: Record<string, Status>;
    redis: RedisStatus;
    /** The cache of subgraph answers: its store answering, away (fetches bypass it), or off. */
    cache: RedisStatus | 'off';
    /** How ended sessions are checked: this gateway's copy, Redis on each request, or this process. */
    sessions: 'mirrored' | 'per-request' | 'in-memory';
    rateLimits: Record<string, string>;
  };
}

/**
 * Readiness of the gateway: every subgraph's `/health/ready` (which checks its database)
 * must answer within `timeoutMs`. Redis is reported (`in-memory` when none is configured:
 * one process holds that state) but does not make the gateway
 * unready: without it the gateway still serves (see authenticate.ts), and taking every
 * gateway out of the load balancer at once would be worse.
 */
export async function checkReadiness(
  urls: Record<SubgraphName, string>,
  agent: Agent,
  revocations: SessionRevocations,
  cache: CacheTagVersions | null,
  timeoutMs = 2_000,
): Promise<Readiness> {
  const [subgraphs, redis] = await Promise.all([
    Promise.all(
      Object.entries(urls).map(async ([name, graphqlUrl]) => {
        const url = new URL('/health/ready', graphqlUrl);
        try {
          const response = await fetch(url, { dispatcher: agent, signal: AbortSignal.timeout(timeoutMs) });
          const body = (await response.json().catch(() => ({}))) as { rateLimits?: string };
          return { name, status: (response.ok ? 'ok' : 'unavailable') as Status, rateLimits: body.rateLimits };
        } catch {
          return { name, status: 'unavailable' as Status, rateLimits: undefined };
        }
      }),
    ),
    revocations.store === 'in-memory'
      ? ('in-memory' as const)
      : revocations.ping().then(
          (): Status => 'ok',
          (): Status => 'unavailable',
        ),
  ]);
  const ready = subgraphs.every((subgraph) => subgraph.status === 'ok');
  return {
    ready,
    body: {
      status: ready ? 'ok' : 'unavailable',
      subgraphs: Object.fromEntries(subgraphs.map((subgraph) => [subgraph.name, subgraph.status])),
      redis,
      cache: await cacheStatus(cache),
      sessions: sessionsStatus(revocations),
      // `local` while a subgraph counts rate limits on its own because Redis is away.
      rateLimits: Object.fromEntries(
        subgraphs.filter((subgraph) => subgraph.rateLimits).map((subgraph) => [subgraph.name, subgraph.rateLimits!]),
      ),
    },
  };
}

/** `/health/live` (the process answers) and `/health/ready` (see checkReadiness). */
export function healthRoutes(
  urls: Record<SubgraphName, string>,
  agent: Agent,
  revocations: SessionRevocations,
  cache: CacheTagVersions | null,
): Route[] {
  return [
    { matches: (path) => path === '/health/live', handle: ({ response }) => sendJson(response, 200, { status: 'ok' }) },
    {
      matches: (path) => path === '/health/ready',
      handle: async ({ response }) => {
        const readiness = await checkReadiness(urls, agent, revocations, cache);
        sendJson(response, readiness.ready ? 200 : 503, readiness.body);
      },
    },
  ];
}

function sessionsStatus(revocations: SessionRevocations): Readiness['body']['sessions'] {
  if (revocations.store === 'in-memory') return 'in-memory';
  return revocations instanceof MirroredSessionRevocations && revocations.mirrored ? 'mirrored' : 'per-request';
}

/** The cache's store: answering, away (fetches then bypass the cache), in memory, or the cache off. */
async function cacheStatus(versions: CacheTagVersions | null): Promise<RedisStatus | 'off'> {
  if (!versions) return 'off';
  if (versions.store === 'in-memory') return 'in-memory';
  return versions.ping().then(
    () => 'ok' as const,
    () => 'unavailable' as const,
  );
}
