import { MemorySessionRevocations, signAccessToken } from '@token-nexus/shared';
import { pino } from 'pino';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { authenticate } from './authenticate.ts';
import { createAccessTokenVerifier } from './verified-access-tokens.ts';

const secret = 'access-token-secret-of-at-least-32-chars';
const session = { userId: 'user-42', sessionId: 'session-7' };

afterEach(() => {
  vi.useRealTimers();
});

/** The token with one character of its `part` (0 header, 1 payload, 2 signature) changed. */
function tampered(token: string, part: 0 | 1 | 2, replace: (text: string) => string): string {
  const parts = token.split('.');
  parts[part] = replace(parts[part]!);
  return parts.join('.');
}

describe('verified access tokens', () => {
  test('a token verified once is still refused from its expiry on', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const tokens = createAccessTokenVerifier(secret);
    const token = await signAccessToken(secret, session, 60);
    expect(await tokens.verify(token)).toMatchObject({ ok: true, claims: session });
    vi.setSystemTime(Date.now() + 61_000);
    expect(await tokens.verify(token)).toEqual({ ok: false, reason: 'expired' });
    expect(await tokens.verify(token)).toEqual({ ok: false, reason: 'expired' });
  });

  test('a verified token changed in its payload is verified afresh, and refused', async () => {
    const tokens = createAccessTokenVerifier(secret);
    const token = await signAccessToken(secret, session, 300);
    expect(await tokens.verify(token)).toMatchObject({ ok: true });
    const otherUser = tampered(token, 1, (payload) => {
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
      return Buffer.from(JSON.stringify({ ...claims, sub: 'user-1' })).toString('base64url');
    });
    expect(await tokens.verify(otherUser)).toEqual({ ok: false, reason: 'invalid' });
    expect(await tokens.verify(token)).toMatchObject({ ok: true, claims: session });
  });

  test('a verified token changed in its signature is refused, every time', async () => {
    const tokens = createAccessTokenVerifier(secret);
    const token = await signAccessToken(secret, session, 300);
    expect(await tokens.verify(token)).toMatchObject({ ok: true });
    const forged = tampered(token, 2, (signature) => (signature.startsWith('A') ? 'B' : 'A') + signature.slice(1));
    expect(await tokens.verify(forged)).toEqual({ ok: false, reason: 'invalid' });
    expect(await tokens.verify(forged)).toEqual({ ok: false, reason: 'invalid' });
  });

  test('a token signed with another secret is never remembered as valid', async () => {
    const tokens = createAccessTokenVerifier(secret);
    const foreign = await signAccessToken('another-secret-of-at-least-32-characters', session, 300);
    expect(await tokens.verify(foreign)).toEqual({ ok: false, reason: 'invalid' });
    expect(await tokens.verify(foreign)).toEqual({ ok: false, reason: 'invalid' });
  });

  test("a remembered token is refused once its session ends: the session is asked every time", async () => {
    const tokens = createAccessTokenVerifier(secret);
    const revocations = new MemorySessionRevocations();
    const logger = pino({ level: 'silent' });
    const token = await signAccessToken(secret, session, 300);
    expect(await authenticate(`Bearer ${token}`, tokens, revocations, logger)).toEqual({ type: 'user', userId: 'user-42' });
    await revocations.revoke(session.sessionId, 300);
    await expect(authenticate(`Bearer ${token}`, tokens, revocations, logger)).rejects.toThrow('This session has ended. Sign in again.');
  });
});
