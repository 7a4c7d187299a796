import { UnauthenticatedError, type Actor, type Logger, type SessionRevocations } from '@token-nexus/shared';
import { isProgramSecret, type CredentialVerifier } from './credential-verifier.ts';
import type { AccessTokenVerifier } from './verified-access-tokens.ts';

/**
 * Who is calling, from the `Authorization` header. No header: anonymous. A user's access
 * token (a JWT) is verified by `tokens` and its session checked against `revocations`
 * (both answer from memory in the steady state); a program's secret (an API key `tnx_…` or an OAuth
 * access token `tnxo_…`) by `credentials`. A header that is present but not valid is
 * refused outright rather than downgraded to anonymous, so a client learns at once that
 * its token is bad.
 */
export async function authenticate(
  authorization: string | undefined,
  tokens: AccessTokenVerifier,
  revocations: SessionRevocations,
  logger: Logger,
  credentials?: CredentialVerifier,
): Promise<Actor> {
  if (authorization === undefined || authorization.trim() === '') return { type: 'anonymous' };
  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!match) {
    throw new UnauthenticatedError('The Authorization header must be "Bearer <access token>".');
  }
  const token = match[1]!;
  if (credentials && isProgramSecret(token)) {
    const verdict = await credentials.verify(token);
    if (!verdict.ok) throw new UnauthenticatedError(verdict.message);
    return verdict.actor;
  }
  const result = await tokens.verify(token);
  if (!result.ok) {
    throw new UnauthenticatedError(
      result.reason === 'expired'
        ? 'The access token has expired. Refresh the session or sign in again.'
        : 'The access token is not valid.',
    );
  }
  if (await sessionEnded(revocations, result.claims.sessionId, logger)) {
    throw new UnauthenticatedError('This session has ended. Sign in again.');
  }
  return { type: 'user', userId: result.claims.userId };
}

/**
 * Whether the token's session was ended (logged out, or revoked as stolen). When the
 * revocation list cannot be reached we let the request through and log it: refusing
 * every signed-in request while Redis is away would take the whole API down, and an
 * ended session's access tokens expire within minutes anyway.
 */
async function sessionEnded(
  revocations: SessionRevocations,
  sessionId: string,
  logger: Logger,
): Promise<boolean> {
  try {
    return await revocations.isRevoked(sessionId);
  } catch (error) {
    logger.warn({ err: error }, 'session revocation list unreachable; accepting the token');
    return false;
  }
}
