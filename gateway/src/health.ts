import type { Agent } from 'undici';
import { fetch } from 'undici';
import type { SubgraphName } from '@token-nexus/shared';

export type Readiness = { ready: boolean; subgraphs: Record<string, 'ok' | 'unavailable'> };

/** Asks every subgraph's `/health/ready` (which checks its database) within `timeoutMs`. */
export async function checkSubgraphs(
  urls: Record<SubgraphName, string>,
  agent: Agent,
  timeoutMs = 2_000,
): Promise<Readiness> {
  const entries = await Promise.all(
    Object.entries(urls).map(async ([name, graphqlUrl]) => {
      const url = new URL('/health/ready', graphqlUrl);
      try {
        const response = await fetch(url, { dispatcher: agent, signal: AbortSignal.timeout(timeoutMs) });
        await response.body?.cancel();
        return [name, response.ok ? 'ok' : 'unavailable'] as const;
      } catch {
        return [name, 'unavailable'] as const;
      }
    }),
  );
  return {
    ready: entries.every(([, status]) => status === 'ok'),
    subgraphs: Object.fromEntries(entries),
  };
}
