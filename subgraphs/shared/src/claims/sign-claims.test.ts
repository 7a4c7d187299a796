import { describe, expect, test } from 'vitest';
import type { Claims } from './claims.ts';
import { encodeClaims, signRequest, verifyRequest } from './sign-claims.ts';

const secret = 'gateway-secret-of-at-least-32-characters';
const body = '{"query":"{ me { id } }"}';
const now = Date.UTC(2030, 0, 1, 12, 0, 0);
const claims: Claims = {
  v: 1,
  actor: { type: 'user', userId: 'user-1' },
  requestId: 'req-1',
  clientIp: '203.0.113.7',
  userAgent: 'vitest',
};

function signed(encodedClaims = encodeClaims(claims), signedAt = now) {
  return { claims: encodedClaims, signature: signRequest(secret, encodedClaims, body, signedAt) };
}

function encodeRaw(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('verifyRequest', () => {
  test('returns the claims of a request it signed', () => {
    expect(verifyRequest(secret, signed(), body, now)).toEqual({ ok: true, claims });
  });

  test('accepts a body given as bytes when the same bytes were signed', () => {
    const bytes = new TextEncoder().encode(body);
    const encoded = encodeClaims(claims);
    const headers = { claims: encoded, signature: signRequest(secret, encoded, bytes, now) };
    expect(verifyRequest(secret, headers, bytes, now)).toEqual({ ok: true, claims });
  });

  test('refuses a request without the claims header', () => {
    const headers = { ...signed(), claims: undefined };
    expect(verifyRequest(secret, headers, body, now)).toEqual({ ok: false, reason: 'missing gateway signature' });
  });

  test('refuses a request without the signature header', () => {
    const headers = { ...signed(), signature: undefined };
    expect(verifyRequest(secret, headers, body, now)).toEqual({ ok: false, reason: 'missing gateway signature' });
  });

  test.each([
    ['garbage', 'not-a-signature'],
    ['a missing time', `v1=${'a'.repeat(43)}`],
    ['a short mac', `t=${now / 1000},v1=abc`],
    ['a non-numeric time', `t=soon,v1=${'a'.repeat(43)}`],
  ])('refuses a signature header with %s', (_, signature) => {
    const headers = { ...signed(), signature };
    expect(verifyRequest(secret, headers, body, now)).toEqual({ ok: false, reason: 'malformed gateway signature' });
  });

  test('refuses a signature made with another secret', () => {
    const encoded = encodeClaims(claims);
    const headers = { claims: encoded, signature: signRequest('another-secret-of-32-characters-or-more', encoded, body, now) };
    expect(verifyRequest(secret, headers, body, now)).toEqual({ ok: false, reason: 'invalid gateway signature' });
  });

  test('refuses a body changed after signing', () => {
    expect(verifyRequest(secret, signed(), '{"query":"{ users { id } }"}', now)).toEqual({
      ok: false,
      reason: 'invalid gateway signature',
    });
  });

  test('refuses claims changed after signing', () => {
    const headers = signed();
    const forged = encodeClaims({ ...claims, actor: { type: 'user', userId: 'admin' } });
    expect(verifyRequest(secret, { ...headers, claims: forged }, body, now)).toEqual({
      ok: false,
      reason: 'invalid gateway signature',
    });
  });

  test('accepts a signature exactly 60 seconds old or 60 seconds ahead', () => {
    expect(verifyRequest(secret, signed(undefined, now - 60_000), body, now).ok).toBe(true);
    expect(verifyRequest(secret, signed(undefined, now + 60_000), body, now).ok).toBe(true);
  });

  test('refuses a signature more than 60 seconds old', () => {
    expect(verifyRequest(secret, signed(undefined, now - 61_000), body, now)).toEqual({
      ok: false,
      reason: 'expired gateway signature',
    });
  });

  test('refuses a signature more than 60 seconds in the future', () => {
    expect(verifyRequest(secret, signed(undefined, now + 61_000), body, now)).toEqual({
      ok: false,
      reason: 'expired gateway signature',
    });
  });

  test('refuses correctly signed claims of another version', () => {
    const headers = signed(encodeRaw({ ...claims, v: 2 }));
    expect(verifyRequest(secret, headers, body, now)).toEqual({ ok: false, reason: 'malformed claims' });
  });

  test('refuses correctly signed claims of a user without an id', () => {
    const headers = signed(encodeRaw({ ...claims, actor: { type: 'user', userId: '' } }));
    expect(verifyRequest(secret, headers, body, now)).toEqual({ ok: false, reason: 'malformed claims' });
  });

  test('refuses correctly signed claims that are not JSON', () => {
    const headers = signed(Buffer.from('{not json').toString('base64url'));
    expect(verifyRequest(secret, headers, body, now)).toEqual({ ok: false, reason: 'malformed claims' });
  });
});
