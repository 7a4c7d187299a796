import type { AuditTransaction, OAuthGrant, Prisma } from '@token-nexus/prisma';
import { generateSecretToken, hashSecret, secretPrefixes } from '../credentials/secret-tokens.ts';
import { accessTokenLifetimeSeconds, refreshTokenIdleLifetimeMs } from './oauth-settings.ts';

/** What a new access token is for: a user's grant, or (no user, no grant) the app's organization. */
export interface AccessTokenFor {
  appId: string;
  organizationId: string;
  scopes: string[];
  userId?: string;
  grantId?: string;
  codeId?: string;
}

/** Creates an access token in the caller's transaction; answers its secret (kept only hashed). */
export async function createAccessToken(tx: AuditTransaction, data: AccessTokenFor): Promise<string> {
  const secret = generateSecretToken(secretPrefixes.oauthAccessToken);
  await tx.oAuthAccessToken.create({
    data: { ...data, tokenHash: hashSecret(secret), expiresAt: new Date(Date.now() + accessTokenLifetimeSeconds * 1000) },
  });
  return secret;
}

/**
 * Creates the next refresh token of a grant in the caller's transaction; answers its secret.
 * It lives `refreshTokenIdleLifetimeMs` unused, and never past its grant's end.
 */
export async function createRefreshToken(tx: AuditTransaction, grant: Pick<OAuthGrant, 'id' | 'expiresAt'>): Promise<string> {
  const secret = generateSecretToken(secretPrefixes.oauthRefreshToken);
  const idleEnd = Date.now() + refreshTokenIdleLifetimeMs;
  await tx.oAuthRefreshToken.create({
    data: { tokenHash: hashSecret(secret), grantId: grant.id, expiresAt: new Date(Math.min(idleEnd, grant.expiresAt.getTime())) },
  });
  return secret;
}

/**
 * Revokes the grants `where` selects that are not revoked yet, and marks every access and
 * refresh token descending from them. The grant's row is what counts (a refresh and the
 * gateway's check both read it), and updating it first also waits for a refresh of the same
 * grant that is under way, so the tokens that refresh issues are marked too.
 *
 * @returns the ids of the grants this revoked
 */
export async function revokeGrants(tx: AuditTransaction, where: Prisma.OAuthGrantWhereInput): Promise<string[]> {
  const now = new Date();
  const revoked = await tx.oAuthGrant.updateManyAndReturn({
    where: { ...where, revokedAt: null },
    data: { revokedAt: now },
    select: { id: true },
  });
  const grantIds = revoked.map((grant) => grant.id);
  if (grantIds.length === 0) return [];
  await tx.oAuthRefreshToken.updateMany({ where: { grantId: { in: grantIds }, revokedAt: null }, data: { revokedAt: now } });
  await tx.oAuthAccessToken.updateMany({ where: { grantId: { in: grantIds }, revokedAt: null }, data: { revokedAt: now } });
  return grantIds;
}
