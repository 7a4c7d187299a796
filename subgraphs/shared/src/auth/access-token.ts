import { SignJWT, errors, jwtVerify } from 'jose';

/**
 * Access tokens: short-lived JWTs (HS256) issued by identity and verified by the gateway.
 * Both sides use these two functions so the contract (issuer, audience, algorithm,
 * subject) lives in one place.
 */
const issuer = 'token-nexus/identity';
const audience = 'token-nexus/graph';
const algorithm = 'HS256';

export interface AccessTokenClaims {
  userId: string;
  /** The session (refresh-token family) the token was issued in; ending it revokes the token. */
  sessionId: string;
}

export async function signAccessToken(
  secret: string,
  claims: AccessTokenClaims,
  ttlSeconds: number,
): Promise<string> {
  return new SignJWT({ sid: claims.sessionId })
    .setProtectedHeader({ alg: algorithm, typ: 'JWT' })
    .setSubject(claims.userId)
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(key(secret));
}

export type AccessTokenResult =
  /** `expiresAt`: the token's `exp`, in seconds since the epoch; it is valid before that second. */
  | { ok: true; claims: AccessTokenClaims; expiresAt: number }
  | { ok: false; reason: 'expired' | 'invalid' };

export async function verifyAccessToken(secret: string, token: string): Promise<AccessTokenResult> {
  try {
    const { payload } = await jwtVerify(token, key(secret), {
      issuer,
      audience,
      algorithms: [algorithm],
      requiredClaims: ['sub', 'exp', 'iat', 'sid'],
    });
    if (typeof payload.sid !== 'string') return { ok: false, reason: 'invalid' };
    return { ok: true, claims: { userId: payload.sub!, sessionId: payload.sid }, expiresAt: payload.exp! };
  } catch (error) {
    if (error instanceof errors.JWTExpired) return { ok: false, reason: 'expired' };
    return { ok: false, reason: 'invalid' };
  }
}

const keys = new Map<string, Uint8Array>();
function key(secret: string): Uint8Array {
  let encoded = keys.get(secret);
  if (!encoded) {
    encoded = new TextEncoder().encode(secret);
    keys.set(secret, encoded);
  }
  return encoded;
}
