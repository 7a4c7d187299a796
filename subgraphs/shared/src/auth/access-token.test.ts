import { SignJWT, UnsecuredJWT } from 'jose';
import { describe, expect, test } from 'vitest';
import { signAccessToken, verifyAccessToken } from './access-token.ts';

const secret = 'access-token-secret-of-at-least-32-chars';
const issuer = 'token-nexus/identity';
const audience = 'token-nexus/graph';
const claims = { userId: 'user-42', sessionId: 'session-7' };

interface Overrides {
  issuer?: string;
  audience?: string;
  alg?: string;
  expiresAt?: number;
  secret?: string;
  sid?: unknown;
}

/** A token made with jose directly: the real contract unless `overrides` change a part of it. */
function craft(overrides: Overrides = {}) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT('sid' in overrides ? { sid: overrides.sid } : { sid: claims.sessionId })
    .setProtectedHeader({ alg: overrides.alg ?? 'HS256', typ: 'JWT' })
    .setSubject(claims.userId)
    .setIssuer(overrides.issuer ?? issuer)
    .setAudience(overrides.audience ?? audience)
    .setIssuedAt(now - 120)
    .setExpirationTime(overrides.expiresAt ?? now + 300)
    .sign(new TextEncoder().encode(overrides.secret ?? secret));
}

describe('access tokens', () => {
  test('verifies a token it signed and returns the user and session ids', async () => {
    const signedAt = Math.floor(Date.now() / 1000);
    const token = await signAccessToken(secret, claims, 300);
    const result = await verifyAccessToken(secret, token);
    expect(result).toEqual({ ok: true, claims, expiresAt: expect.any(Number) });
    // The token's own exp: its lifetime from the second it was signed in.
    expect((result as { expiresAt: number }).expiresAt - signedAt).toBeOneOf([300, 301]);
  });

  test('accepts a token crafted to the same contract, so the helpers are not only checked against each other', async () => {
    const expiresAt = Math.floor(Date.now() / 1000) + 300;
    expect(await verifyAccessToken(secret, await craft({ expiresAt }))).toEqual({ ok: true, claims, expiresAt });
  });

  test('reports a token past its expiry time as expired', async () => {
    const token = await craft({ expiresAt: Math.floor(Date.now() / 1000) - 60 });
    expect(await verifyAccessToken(secret, token)).toEqual({ ok: false, reason: 'expired' });
  });

  test('reports a token signed with a lifetime already over as expired', async () => {
    const token = await signAccessToken(secret, claims, -60);
    expect(await verifyAccessToken(secret, token)).toEqual({ ok: false, reason: 'expired' });
  });

  test('refuses a token signed with another secret as invalid', async () => {
    const token = await signAccessToken('another-secret-of-at-least-32-characters', claims, 300);
    expect(await verifyAccessToken(secret, token)).toEqual({ ok: false, reason: 'invalid' });
  });

  test('refuses a token from another issuer as invalid', async () => {
    const token = await craft({ issuer: 'someone-else' });
    expect(await verifyAccessToken(secret, token)).toEqual({ ok: false, reason: 'invalid' });
  });

  test('refuses a token for another audience as invalid', async () => {
    const token = await craft({ audience: 'another-api' });
    expect(await verifyAccessToken(secret, token)).toEqual({ ok: false, reason: 'invalid' });
  });

  test('refuses a token signed with another HMAC algorithm as invalid', async () => {
    expect(await verifyAccessToken(secret, await craft({ alg: 'HS512' }))).toEqual({ ok: false, reason: 'invalid' });
  });

  test('refuses an unsigned token (alg none) as invalid', async () => {
    const token = new UnsecuredJWT({ sid: claims.sessionId })
      .setSubject(claims.userId)
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime('5m')
      .encode();
    expect(await verifyAccessToken(secret, token)).toEqual({ ok: false, reason: 'invalid' });
  });

  test('refuses a token without a session id as invalid', async () => {
    const token = await craft({ sid: undefined });
    expect(await verifyAccessToken(secret, token)).toEqual({ ok: false, reason: 'invalid' });
  });

  test('refuses a token whose session id is not a string as invalid', async () => {
    expect(await verifyAccessToken(secret, await craft({ sid: 7 }))).toEqual({ ok: false, reason: 'invalid' });
  });

  test('refuses a token without a subject as invalid', async () => {
    const token = await new SignJWT({ sid: claims.sessionId })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(secret));
    expect(await verifyAccessToken(secret, token)).toEqual({ ok: false, reason: 'invalid' });
  });

  test('refuses a string that is not a JWT as invalid', async () => {
    expect(await verifyAccessToken(secret, 'not.a.jwt')).toEqual({ ok: false, reason: 'invalid' });
  });
});
