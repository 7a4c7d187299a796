import { randomUUID } from 'node:crypto';
import { signedClaimsHeaders, type Actor } from '@token-nexus/shared';
import { request as undiciRequest, type Agent } from 'undici';
import { requestIdHeader } from '../http/request-id.ts';
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
    const response = await undiciRequest(options.identityUrl, {
      method: 'POST',
      dispatcher: options.agent,
      headers: {
        'content-type': 'application/json',
        [requestIdHeader]: claims.requestId,
        ...signedClaimsHeaders(options.signingSecret, claims, body),
      },
      body,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
    const answer = (await response.body.json()) as SubgraphAnswer;
    const cacheControl = response.headers['cache-control'];
    return { ...answer, http: { headers: { get: (name) => (name === 'cache-control' && typeof cacheControl === 'string' ? cacheControl : null) } } };
  };
}
