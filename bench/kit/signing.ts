import { randomUUID } from 'node:crypto';
import { signedClaimsHeaders, type Actor, type Claims } from '@token-nexus/shared';

/**
 * The headers the gateway would add to send `body` to a subgraph on behalf of `actor`:
 * the encoded claims and a signature over them, the body and the current time. The
 * signature is only accepted for `signatureToleranceSeconds`, so sign each request as
 * it is sent rather than once up front.
 */
export function subgraphRequestHeaders(
  signingSecret: string,
  actor: Actor,
  body: string,
): Record<string, string> {
  const claims: Claims = {
    v: 1,
    actor,
    // A new id per request, as the gateway mints one per client request.
    requestId: `bench-${randomUUID()}`,
    clientIp: null,
    userAgent: null,
  };
  return signedClaimsHeaders(signingSecret, claims, body);
}
