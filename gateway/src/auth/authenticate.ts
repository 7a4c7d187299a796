import { UnauthenticatedError, verifyAccessToken, type Actor } from '@token-nexus/shared';

/**
 * Who is calling, from the `Authorization` header. No header: anonymous. A header that
 * is present but not a valid, unexpired bearer token is refused outright rather than
 * downgraded to anonymous, so a client learns at once that its token is bad.
 */
export async function authenticate(
  authorization: string | undefined,
  accessTokenSecret: string,
): Promise<Actor> {
  if (authorization === undefined || authorization.trim() === '') return { type: 'anonymous' };
  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!match) {
    throw new UnauthenticatedError('The Authorization header must be "Bearer <access token>".');
  }
  const result = await verifyAccessToken(accessTokenSecret, match[1]!);
  if (!result.ok) {
    throw new UnauthenticatedError(
      result.reason === 'expired'
        ? 'The access token has expired. Refresh the session or sign in again.'
        : 'The access token is not valid.',
    );
  }
  return { type: 'user', userId: result.claims.userId };
}
