import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { claimsSchema, type Claims } from './claims.ts';

/** Header carrying the claims, base64url-encoded JSON. */
export const claimsHeader = 'x-tnx-claims';
/** Header carrying `t=<unix seconds>,v1=<base64url HMAC-SHA256>`. */
export const signatureHeader = 'x-tnx-signature';

/** How far a signature's time may be from the receiver's clock. */
export const signatureToleranceSeconds = 60;

export function encodeClaims(claims: Claims): string {
  return Buffer.from(JSON.stringify(claims)).toString('base64url');
}

/**
 * Signs one gateway → subgraph request. The HMAC covers the time, the claims and a hash
 * of the exact body, so a captured signature cannot be replayed with another operation,
 * another identity, or after the tolerance window.
 */
export function signRequest(
  secret: string,
  encodedClaims: string,
  body: string | Uint8Array,
  now = Date.now(),
): string {
  const timestamp = Math.floor(now / 1000);
  return `t=${timestamp},v1=${mac(secret, timestamp, encodedClaims, body)}`;
}

/**
 * The two headers that carry `claims`, signed for `body`, as every gateway → subgraph
 * request (and a subgraph's request to another, on the caller's behalf) sends them.
 * Sign each request as it is sent: the signature holds for `signatureToleranceSeconds`.
 */
export function signedClaimsHeaders(secret: string, claims: Claims, body: string | Uint8Array): Record<string, string> {
  const encodedClaims = encodeClaims(claims);
  return { [claimsHeader]: encodedClaims, [signatureHeader]: signRequest(secret, encodedClaims, body) };
}

export type VerificationResult =
  | { ok: true; claims: Claims }
  | { ok: false; reason: string };

/** Checks a request's signature and returns its claims, or why it must be refused. */
export function verifyRequest(
  secret: string,
  headers: { claims: string | undefined; signature: string | undefined },
  body: string | Uint8Array,
  now = Date.now(),
): VerificationResult {
  if (!headers.claims || !headers.signature) {
    return { ok: false, reason: 'missing gateway signature' };
  }
  const match = /^t=(\d{1,12}),v1=([A-Za-z0-9_-]{43})$/.exec(headers.signature);
  if (!match) return { ok: false, reason: 'malformed gateway signature' };
  const timestamp = Number(match[1]);
  if (Math.abs(now / 1000 - timestamp) > signatureToleranceSeconds) {
    return { ok: false, reason: 'expired gateway signature' };
  }
  const expected = Buffer.from(mac(secret, timestamp, headers.claims, body), 'base64url');
  const given = Buffer.from(match[2]!, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'invalid gateway signature' };
  }
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(headers.claims, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed claims' };
  }
  const claims = claimsSchema.safeParse(decoded);
  return claims.success ? { ok: true, claims: claims.data } : { ok: false, reason: 'malformed claims' };
}

function mac(secret: string, timestamp: number, encodedClaims: string, body: string | Uint8Array) {
  const bodyHash = createHash('sha256').update(body).digest('base64url');
  return createHmac('sha256', secret)
    .update(`${timestamp}.${encodedClaims}.${bodyHash}`)
    .digest('base64url');
}
