import { graphQLBody } from './client.ts';
import { dashboardMix, oneOfEachOperation, userHeaders, type BenchUser, type MixWorld } from './dashboard-mix.ts';
import { isFullAnswer } from './dashboard-operations.ts';
import type { LoadRequest, LoadTarget, MixedLoad } from './load.ts';
import { subgraphRequestHeaders } from './signing.ts';
import { visitorLoad, type VisitorWorkload } from './visitor-load.ts';

/**
 * What a run sends, as plain data: it crosses to the load process (see load-process.ts),
 * which makes the requests from it.
 */
export type Workload =
  /** The dashboard mix of several users' reads and edits (dashboard-mix.ts). */
  | { kind: 'mix'; world: MixWorld }
  /** One query by one user, through the gateway. */
  | { kind: 'query'; name: string; query: string; user: BenchUser }
  /** One query by one user straight to a subgraph, signed as the gateway signs what it sends. */
  | { kind: 'signed'; name: string; query: string; userId: string; signingSecret: string }
  /** Anonymous visitors through the gateway, every request from its own address (visitor-load.ts). */
  | VisitorWorkload;

/** The load `workload` sends to `url`. */
export function loadOf(workload: Workload, url: string): LoadTarget | MixedLoad {
  switch (workload.kind) {
    case 'mix':
      return dashboardMix(workload.world, url);
    case 'query': {
      const headers = userHeaders(workload.user);
      return { name: workload.name, url, body: graphQLBody(workload.query), headers: () => headers, accepts: isFullAnswer };
    }
    case 'signed': {
      const body = graphQLBody(workload.query);
      // Signed per request: a signature is only accepted for a while.
      const headers = () => subgraphRequestHeaders(workload.signingSecret, { type: 'user', userId: workload.userId }, body);
      return { name: workload.name, url, body, headers, accepts: isFullAnswer };
    }
    case 'visitors':
      return visitorLoad(workload, url);
  }
}

/** One request of each kind `workload` sends, named: to check every one answers before loading. */
export function sampleRequests(workload: Workload, url: string): { name: string; request: LoadRequest }[] {
  if (workload.kind === 'mix') return oneOfEachOperation(workload.world);
  if (workload.kind === 'visitors') return [{ name: workload.name, request: visitorLoad(workload, url).next() }];
  const target = loadOf(workload, url) as LoadTarget;
  return [{ name: target.name, request: { body: target.body, headers: target.headers() } }];
}
