import { randomUUID } from 'node:crypto';
import { auditedTransaction, type AuditTransaction } from '@token-nexus/prisma';
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

/**
 * Issues an access token and a refresh token for `user`, inside the caller's transaction.
 * A new sign-in starts a new family (session); a refresh continues the family of the
 * token it replaces.
 */
export async function issueSession(
  ctx: IdentityContext,
  tx: AuditTransaction,
  user: UserModel,
  familyId: string = randomUUID(),
): Promise<AuthPayloadModel> {
  const refreshToken = generateRefreshToken();
  const now = Date.now();
  await tx.refreshToken.create({
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
 * spent token, is treated as theft and ends the whole family, recorded as a CRITICAL
 * security event (committed before the error is returned, so the revocation sticks).
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
  const owner = { type: 'USER', id: stored.userId } as const;
  const session = { type: 'session', id: stored.familyId };
  const rotated = await auditedTransaction(ctx.prisma, ctx.audit, async (tx, audit) => {
    const claimed = await tx.refreshToken.updateMany({
      where: { id: stored.id, usedAt: null, revokedAt: null },
      data: { usedAt: new Date() },
    });
    if (claimed.count === 0) return null;
    audit({ organizationId: null, action: 'session.refreshed', actor: owner, target: session });
    return issueSession(ctx, tx, stored.user, stored.familyId);
  });
  if (rotated) return rotated;
  await auditedTransaction(ctx.prisma, ctx.audit, async (tx, audit) => {
    await revokeFamily(tx, stored.familyId);
    audit({
      organizationId: null,
      action: 'session.refresh_token_reused',
      severity: 'CRITICAL',
      actor: ctx.audit.actor.type === 'USER' ? ctx.audit.actor : { type: 'ANONYMOUS', id: null },
      target: session,
      changes: { after: { userId: stored.userId, revoked: true } },
    });
  });
  ctx.logger.warn(
    { userId: stored.userId, familyId: stored.familyId, event: 'refresh_token_reuse' },
    'a spent refresh token was presented again; its session was revoked',
  );
  await publishSessionEnd(ctx, stored.familyId);
  throw invalidRefreshToken();
}

/** Ends the session a refresh token belongs to. @returns false if it was unknown or already ended. */
export async function endSession(ctx: IdentityContext, refreshToken: string): Promise<boolean> {
  const stored = await ctx.prisma.refreshToken.findUnique({
    where: { tokenHash: hashRefreshToken(refreshToken) },
    select: { familyId: true, userId: true },
  });
  if (!stored) return false;
  const ended = await auditedTransaction(ctx.prisma, ctx.audit, async (tx, audit) => {
    const revoked = await revokeFamily(tx, stored.familyId);
    if (revoked > 0) {
      audit({
        organizationId: null,
        action: 'session.ended',
        actor: { type: 'USER', id: stored.userId },
        target: { type: 'session', id: stored.familyId },
      });
    }
    return revoked > 0;
  });
  if (ended) await publishSessionEnd(ctx, stored.familyId);
  return ended;
}

async function revokeFamily(tx: AuditTransaction, familyId: string): Promise<number> {
  const { count } = await tx.refreshToken.updateMany({
    where: { familyId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  return count;
}

/**
 * After the database has recorded the end of a session, tells every gateway to refuse its
 * access tokens. If the revocation list cannot be reached the session still ends; its
 * access tokens then lapse within their short lifetime, and the failure is logged.
 */
async function publishSessionEnd(ctx: IdentityContext, familyId: string): Promise<void> {
  try {
    await ctx.revocations.revoke(familyId, ctx.auth.accessTokenTtlSeconds);
  } catch (error) {
    ctx.logger.error(
      { err: error, familyId },
      'could not publish the end of a session; its access tokens stay valid until they expire',
    );
  }
}
