import { randomUUID } from 'node:crypto';
import type { Prisma } from '@token-nexus/prisma';
import { UnauthenticatedError, signAccessToken } from '@token-nexus/shared';
import { generateRefreshToken, hashRefreshToken } from '../auth/refresh-tokens.ts';
import type { IdentityContext } from '../context.ts';
import type { UserModel } from '../models.ts';

export interface AuthPayloadModel {
  accessToken: string;
  refreshToken: string;
  accessTokenExpiresAt: Date;
  user: UserModel;
}

type Db = IdentityContext['prisma'] | Prisma.TransactionClient;

/**
 * Issues an access token and a refresh token for `user`. A new sign-in starts a new
 * family; a refresh continues the family of the token it replaces.
 */
export async function issueSession(
  ctx: IdentityContext,
  user: UserModel,
  db: Db = ctx.prisma,
  familyId: string = randomUUID(),
): Promise<AuthPayloadModel> {
  const refreshToken = generateRefreshToken();
  const now = Date.now();
  await db.refreshToken.create({
    data: {
      userId: user.id,
      familyId,
      tokenHash: hashRefreshToken(refreshToken),
      expiresAt: new Date(now + ctx.auth.refreshTokenTtlSeconds * 1000),
    },
  });
  const accessToken = await signAccessToken(
    ctx.auth.accessTokenSecret,
    { userId: user.id, sessionId: familyId },
    ctx.auth.accessTokenTtlSeconds,
  );
  return {
    accessToken,
    refreshToken,
    accessTokenExpiresAt: new Date(now + ctx.auth.accessTokenTtlSeconds * 1000),
    user,
  };
}

const invalidRefreshToken = () =>
  new UnauthenticatedError('This refresh token is not valid any more. Sign in again.');

/**
 * Exchanges a refresh token for new tokens. The token is claimed with a conditional
 * update, so of two concurrent uses exactly one wins; the loser, like any later use of a
 * spent token, is treated as theft and ends the whole family (committed before the error
 * is returned, so the revocation sticks).
 */
export async function rotateRefreshToken(
  ctx: IdentityContext,
  refreshToken: string,
): Promise<AuthPayloadModel> {
  const stored = await ctx.prisma.refreshToken.findUnique({
    where: { tokenHash: hashRefreshToken(refreshToken) },
    include: { user: { omit: { passwordHash: true } } },
  });
  if (!stored || stored.revokedAt || stored.expiresAt.getTime() <= Date.now()) {
    throw invalidRefreshToken();
  }
  const rotated = await ctx.prisma.$transaction(async (tx) => {
    const claimed = await tx.refreshToken.updateMany({
      where: { id: stored.id, usedAt: null, revokedAt: null },
      data: { usedAt: new Date() },
    });
    if (claimed.count === 0) return null;
    return issueSession(ctx, stored.user, tx, stored.familyId);
  });
  if (rotated) return rotated;
  await revokeFamily(ctx, stored.familyId);
  ctx.logger.warn(
    { userId: stored.userId, familyId: stored.familyId, event: 'refresh_token_reuse' },
    'a spent refresh token was presented again; its session was revoked',
  );
  throw invalidRefreshToken();
}

/** Ends the session a refresh token belongs to. @returns false if it was unknown or already ended. */
export async function endSession(ctx: IdentityContext, refreshToken: string): Promise<boolean> {
  const stored = await ctx.prisma.refreshToken.findUnique({
    where: { tokenHash: hashRefreshToken(refreshToken) },
    select: { familyId: true },
  });
  if (!stored) return false;
  return (await revokeFamily(ctx, stored.familyId)) > 0;
}

/**
 * Ends a session: its refresh tokens in the database (the record), then its access
 * tokens at the gateway through the shared revocation list. If that list cannot be
 * reached the session still ends; its access tokens then lapse within their short
 * lifetime, and the failure is logged.
 */
async function revokeFamily(ctx: IdentityContext, familyId: string): Promise<number> {
  const { count } = await ctx.prisma.refreshToken.updateMany({
    where: { familyId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  try {
    await ctx.revocations.revoke(familyId, ctx.auth.accessTokenTtlSeconds);
  } catch (error) {
    ctx.logger.error(
      { err: error, familyId },
      'could not publish the end of a session; its access tokens stay valid until they expire',
    );
  }
  return count;
}
