import {
  auditedTransaction,
  type AuditContext,
  type OAuthApp,
  type OAuthGrant,
  type OAuthRefreshToken,
  type PrismaClient,
} from '@token-nexus/prisma';
import { hashSecret } from '../credentials/secret-tokens.ts';
import type { IssuedTokens } from './authorization-code-grant.ts';
import { createAccessToken, createRefreshToken, revokeGrants } from './grant-tokens.ts';
import { OAuthError } from './oauth-protocol.ts';

type StoredRefreshToken = OAuthRefreshToken & { grant: OAuthGrant };

/**
 * The `refresh_token` grant (RFC 6749 §6), rotating (RFC 9700 §4.14.2): the refresh token is
 * spent and the answer carries a new access token and the grant's next refresh token.
 * `scope` may ask for less than the grant holds (for the access token only: the next refresh
 * token keeps the grant's scopes), never more. A spent refresh token presented again, or the
 * loser of two concurrent uses, is taken as stolen: its whole grant is revoked.
 */
export async function refreshTokens(prisma: PrismaClient, auditContext: AuditContext, app: OAuthApp, form: URLSearchParams): Promise<IssuedTokens> {
  const presented = form.get('refresh_token');
  if (!presented) throw new OAuthError('invalid_request', 'refresh_token is required.');
  const stored = await prisma.oAuthRefreshToken.findUnique({ where: { tokenHash: hashSecret(presented) }, include: { grant: true } });
  if (!stored || stored.grant.appId !== app.id) throw new OAuthError('invalid_grant', 'The refresh token is not valid.');
  if (stored.revokedAt || stored.grant.revokedAt) throw new OAuthError('invalid_grant', 'The refresh token has been revoked.');
  if (stored.usedAt) return revokeReusedGrant(prisma, auditContext, stored);
  const now = new Date();
  if (stored.expiresAt <= now || stored.grant.expiresAt <= now) throw new OAuthError('invalid_grant', 'The refresh token has expired.');
  const scopes = narrowedScopes(form.get('scope'), stored.grant.scopes);
  const issued = await rotate(prisma, auditContext, stored, scopes);
  if (issued === 'revoked') throw new OAuthError('invalid_grant', 'The refresh token has been revoked.');
  if (issued === 'spent') return revokeReusedGrant(prisma, auditContext, stored);
  return issued;
}

/** The scopes asked for, each one the grant holds; none asked: all of the grant's. */
function narrowedScopes(asked: string | null, granted: string[]): string[] {
  if (!asked?.trim()) return granted;
  const scopes = [...new Set(asked.split(' ').filter(Boolean))].sort();
  const refused = scopes.filter((scope) => !granted.includes(scope));
  if (refused.length > 0) throw new OAuthError('invalid_scope', `The grant does not hold ${refused.join(', ')}.`);
  return scopes;
}

/** Spends the refresh token and issues the next pair, audited, in one transaction. */
async function rotate(prisma: PrismaClient, auditContext: AuditContext, stored: StoredRefreshToken, scopes: string[]) {
  const { grant } = stored;
  return auditedTransaction(prisma, auditContext, async (tx, audit) => {
    // The grant's row first, as revocations do: one under way finishes before this refresh
    // (which then finds the grant revoked) or waits for it (and marks what it issued).
    const live = await tx.oAuthGrant.updateMany({ where: { id: grant.id, revokedAt: null }, data: { refreshedAt: new Date() } });
    if (live.count === 0) return 'revoked' as const;
    const claimed = await tx.oAuthRefreshToken.updateMany({ where: { id: stored.id, usedAt: null, revokedAt: null }, data: { usedAt: new Date() } });
    if (claimed.count === 0) return 'spent' as const;
    const accessToken = await createAccessToken(tx, {
      appId: grant.appId,
      organizationId: grant.organizationId,
      userId: grant.userId,
      scopes,
      grantId: grant.id,
    });
    const refreshToken = await createRefreshToken(tx, grant);
    audit({
      organizationId: grant.organizationId,
      action: 'oauth.token_issued',
      target: { type: 'oauth_app', id: grant.appId },
      changes: { after: { grant: 'refresh_token', userId: grant.userId, scopes, grantId: grant.id } },
    });
    return { access_token: accessToken, refresh_token: refreshToken, scope: scopes.join(' ') };
  });
}

/**
 * A spent refresh token came back: the app's copy or a thief's, there is no telling which,
 * so the whole grant ends (RFC 9700 §4.14.2), recorded as a CRITICAL security event and
 * committed before the refusal is answered.
 */
async function revokeReusedGrant(prisma: PrismaClient, auditContext: AuditContext, stored: StoredRefreshToken): Promise<never> {
  const { grant } = stored;
  await auditedTransaction(prisma, auditContext, async (tx, audit) => {
    const revoked = await revokeGrants(tx, { id: grant.id });
    if (revoked.length === 0) return;
    audit({
      organizationId: grant.organizationId,
      action: 'oauth.refresh_token_reused',
      severity: 'CRITICAL',
      target: { type: 'oauth_app', id: grant.appId },
      changes: { after: { userId: grant.userId, grantId: grant.id, revoked: true } },
    });
  });
  throw new OAuthError('invalid_grant', 'The refresh token has already been used; its grant has been revoked.');
}
