import { randomUUID } from 'node:crypto';
import { signedClaimsHeaders, type Actor } from '@token-nexus/shared';
import type { Agent } from 'undici';
import { requestIdHeader } from '../http/request-id.ts';
import { postToSubgraph } from '../subgraph-response.ts';
import { membershipsQuery, type SubgraphAnswer } from './fetch-cache.ts';

/**
 * Asks identity for a user's memberships, as that user (signed like any fetch), with the
 * answer's headers: the cache stores it like any other answer.
 */
export function identityMemberships(options: {
  identityUrl: string;
  signingSecret: string;
  agent: Agent;
  timeoutMs: number;
}): (actor: Extract<Actor, { type: 'user' }>) => Promise<SubgraphAnswer> {
  return async (actor) => {
    const claims = { v: 1 as const, actor, requestId: `gateway-cache-${randomUUID()}`, clientIp: null, userAgent: null };
    const body = JSON.stringify({ query: membershipsQuery });
    const response = await postToSubgraph(options.identityUrl, {
      headers: {
        'content-type': 'application/json',
        [requestIdHeader]: claims.requestId,
        ...signedClaimsHeaders(options.signingSecret, claims, body),
      },
      body,
      agent: options.agent,
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    const answer = (await response.json()) as SubgraphAnswer;
    return { ...answer, http: { headers: response.headers } };
  };
}
