import { hash } from 'node:crypto';
import { verifyAccessToken, type AccessTokenClaims, type AccessTokenResult } from '@token-nexus/shared';
import { LRUCache } from 'lru-cache';

/** Verifies an access token (see verifyAccessToken), remembering the tokens it verified. */
export interface AccessTokenVerifier {
  verify(token: string): Promise<AccessTokenResult>;
}

/**
 * How many verified tokens are remembered: more than the signed-in clients a gateway
 * serves within a token's lifetime, so that a busy gateway still verifies each token
 * about once; an entry is ~200 bytes.
 */
const defaultMaxTokens = 50_000;

interface Verified {
  claims: AccessTokenClaims;
  expiresAt: number;
}

/**
 * Verifies each access token once (HMAC and claims, with jose), then answers from memory
 * until the token expires. A token is remembered under the SHA-256 of its whole text,
 * signature included: a token changed in any way is another key, verified afresh, and a
 * token that fails verification is never remembered. The expiry is checked again on every
 * answer, so a remembered token is refused from its `exp` on, as an unremembered one is.
 *
 * Whether the token's session has ended is not remembered: that is asked on every request
 * (see authenticate.ts).
 */
export function createAccessTokenVerifier(secret: string, maxTokens = defaultMaxTokens): AccessTokenVerifier {
  const verified = new LRUCache<string, Verified>({ max: maxTokens });
  return {
    async verify(token) {
      const key = hash('sha256', token, 'base64url');
      const known = verified.get(key);
      if (known) {
        if (Date.now() < known.expiresAt * 1000) return { ok: true, ...known };
        verified.delete(key);
        return { ok: false, reason: 'expired' };
      }
      const result = await verifyAccessToken(secret, token);
      // The entry goes with the token (its exp is in whole seconds).
      const ttl = result.ok ? result.expiresAt * 1000 - Date.now() : 0;
      if (result.ok && ttl > 0) verified.set(key, { claims: result.claims, expiresAt: result.expiresAt }, { ttl });
      return result;
    },
  };
}
