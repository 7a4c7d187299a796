import {
  MemorySessionRevocations,
  UnauthenticatedError,
  signAccessToken,
  type Actor,
  type SessionRevocations,
} from '@token-nexus/shared';
import { pino } from 'pino';
import { describe, expect, test } from 'vitest';
import { authenticate } from './authenticate.ts';
import type { CredentialVerdict, CredentialVerifier } from './credential-verifier.ts';
import { createAccessTokenVerifier } from './verified-access-tokens.ts';

const secret = 'access-token-secret-of-at-least-32-chars';
const session = { userId: 'user-42', sessionId: 'session-7' };
const tokens = createAccessTokenVerifier(secret);

/** A real pino logger whose lines are kept in `lines`. */
function recordingLogger() {
  const lines: { level: number; msg: string }[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, lines };
}

/** A revocation store that cannot be reached. */
class UnreachableRevocations implements SessionRevocations {
  readonly store = 'redis' as const;
  async revoke(): Promise<void> {
    throw new Error('ECONNREFUSED');
  }
  async isRevoked(): Promise<boolean> {
    throw new Error('ECONNREFUSED');
  }
  async ping(): Promise<void> {
    throw new Error('ECONNREFUSED');
  }
  async close(): Promise<void> {}
}

function run(authorization: string | undefined, revocations: SessionRevocations = new MemorySessionRevocations()) {
  return authenticate(authorization, tokens, revocations, recordingLogger().logger);
}

async function refusal(authorization: string, revocations?: SessionRevocations) {
  const error: unknown = await run(authorization, revocations).then(
    () => new Error('expected authenticate to refuse'),
    (refused: unknown) => refused,
  );
  expect(error).toBeInstanceOf(UnauthenticatedError);
  expect((error as UnauthenticatedError).extensions.code).toBe('UNAUTHENTICATED');
  return (error as UnauthenticatedError).message;
}

describe('authenticate', () => {
  test('treats a request without an Authorization header as anonymous', async () => {
    expect(await run(undefined)).toEqual({ type: 'anonymous' });
  });

  test('treats an empty or blank Authorization header as anonymous', async () => {
    expect(await run('')).toEqual({ type: 'anonymous' });
    expect(await run('   ')).toEqual({ type: 'anonymous' });
  });

  test('refuses Basic credentials instead of ignoring them', async () => {
    expect(await refusal('Basic dXNlcjpwYXNz')).toBe('The Authorization header must be "Bearer <access token>".');
  });

  test('refuses a Bearer header without a token', async () => {
    expect(await refusal('Bearer')).toBe('The Authorization header must be "Bearer <access token>".');
  });

  test('returns the user of a valid bearer token', async () => {
    const token = await signAccessToken(secret, session, 300);
    expect(await run(`Bearer ${token}`)).toEqual({ type: 'user', userId: 'user-42' });
  });

  test('reads the scheme case-insensitively and ignores surrounding spaces', async () => {
    const token = await signAccessToken(secret, session, 300);
    expect(await run(`bearer ${token}`)).toEqual({ type: 'user', userId: 'user-42' });
    expect(await run(`  BEARER   ${token}  `)).toEqual({ type: 'user', userId: 'user-42' });
  });

  test('tells the client when its token has expired', async () => {
    const token = await signAccessToken(secret, session, -60);
    expect(await refusal(`Bearer ${token}`)).toMatch(/expired/);
  });

  test('refuses a token signed with another secret as not valid', async () => {
    const token = await signAccessToken('another-secret-of-at-least-32-characters', session, 300);
    expect(await refusal(`Bearer ${token}`)).toBe('The access token is not valid.');
  });

  test('refuses a valid token whose session has ended', async () => {
    const revocations = new MemorySessionRevocations();
    await revocations.revoke('session-7', 60);
    const token = await signAccessToken(secret, session, 300);
    expect(await refusal(`Bearer ${token}`, revocations)).toBe('This session has ended. Sign in again.');
  });

  test('still accepts tokens of other sessions when one has ended', async () => {
    const revocations = new MemorySessionRevocations();
    await revocations.revoke('another-session', 60);
    const token = await signAccessToken(secret, session, 300);
    expect(await run(`Bearer ${token}`, revocations)).toEqual({ type: 'user', userId: 'user-42' });
  });

  test('accepts a valid token and logs a warning when the revocation list is unreachable', async () => {
    const { logger, lines } = recordingLogger();
    const token = await signAccessToken(secret, session, 300);
    expect(await authenticate(`Bearer ${token}`, tokens, new UnreachableRevocations(), logger)).toEqual({
      type: 'user',
      userId: 'user-42',
    });
    expect(lines).toEqual([
      expect.objectContaining({ level: 40, msg: 'session revocation list unreachable; accepting the token' }),
    ]);
  });

  describe("a program's secret", () => {
    /** A verifier that answers `verdict` and keeps the secrets it was asked about. */
    function verifier(verdict: CredentialVerdict): CredentialVerifier & { asked: string[] } {
      const asked: string[] = [];
      return {
        asked,
        verify: async (secret) => {
          asked.push(secret);
          return verdict;
        },
      };
    }
    const client: Actor = {
      type: 'client',
      credential: { kind: 'api_key', id: 'key-1' },
      organizationId: 'org-1',
      scopes: ['tokens:read'],
      accountableUserId: 'user-42',
    };

    test('is verified by the credential verifier, whose actor is the caller', async () => {
      const credentials = verifier({ ok: true, actor: client });
      const actor = await authenticate('Bearer tnx_abc', tokens, new MemorySessionRevocations(), recordingLogger().logger, credentials);
      expect(actor).toEqual(client);
      expect(credentials.asked).toEqual(['tnx_abc']);
    });

    test("is refused as UNAUTHENTICATED with the verifier's reason", async () => {
      const credentials = verifier({ ok: false, message: 'The API key has been revoked.' });
      const refused = await authenticate('Bearer tnxo_abc', tokens, new MemorySessionRevocations(), recordingLogger().logger, credentials).then(
        () => null,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(UnauthenticatedError);
      expect((refused as Error).message).toBe('The API key has been revoked.');
    });

    test("a user's access token never goes to the verifier", async () => {
      const credentials = verifier({ ok: true, actor: client });
      const token = await signAccessToken(secret, session, 300);
      const actor = await authenticate(`Bearer ${token}`, tokens, new MemorySessionRevocations(), recordingLogger().logger, credentials);
      expect(actor).toEqual({ type: 'user', userId: 'user-42' });
      expect(credentials.asked).toEqual([]);
    });
  });
});
