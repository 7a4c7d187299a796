/** How one subgraph fetch was served, as RFC 9211's Cache-Status says it. */
export type FetchOutcome =
  /** From the cache. */
  | { kind: 'hit'; ttlSeconds: number; scope: 'PUBLIC' | 'PRIVATE' }
  /** Fetched; `stored` when the answer went into the cache, `collapsed` when it joined an identical fetch in flight. */
  | { kind: 'miss'; stored: boolean; collapsed: boolean }
  /** Not looked up: a mutation, the cache off, or its store unreachable. */
  | { kind: 'bypass' };

/** The cache's name in Cache-Status. */
const cacheName = 'tnx-gateway';

/** One Cache-Status member (RFC 9211 §2) for a fetch from `subgraph`. */
export function cacheStatusMember(subgraph: string, outcome: FetchOutcome): string {
  const detail = `detail=${subgraph}`;
  switch (outcome.kind) {
    case 'hit':
      return `${cacheName}; hit; ttl=${outcome.ttlSeconds}; ${detail}`;
    case 'miss':
      return [`${cacheName}; fwd=uri-miss`, ...(outcome.stored ? ['stored'] : []), ...(outcome.collapsed ? ['collapsed'] : []), detail].join('; ');
    case 'bypass':
      return `${cacheName}; fwd=bypass; ${detail}`;
  }
}
