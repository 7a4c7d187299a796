import { createHash } from 'node:crypto';
import { auditedTransaction, type AuditContext, type OAuthApp, type OAuthAuthorizationCode, type PrismaClient } from '@token-nexus/prisma';
import { hashSecret } from '../credentials/secret-tokens.ts';
import { createAccessToken, createRefreshToken, revokeGrants } from './grant-tokens.ts';
import { OAuthError } from './oauth-protocol.ts';
import { grantLifetimeMs } from './oauth-settings.ts';

/** What a token response carries of the tokens it issues. */
export interface IssuedTokens {
  access_token: string;
  refresh_token?: string;
  scope: string;
}

/**
 * The `authorization_code` grant (RFC 6749 §4.1.3) with PKCE (RFC 7636, S256): spends the
 * code and starts a grant, answering its first access token and refresh token.
 */
export async function exchangeCode(prisma: PrismaClient, auditContext: AuditContext, app: OAuthApp, form: URLSearchParams): Promise<IssuedTokens> {
  const stored = await checkedCode(prisma, auditContext, app, form);
  const issued = await auditedTransaction(prisma, auditContext, async (tx, audit) => {
    // Only one exchange wins, however many race: the code is spent in the same step.
    const spent = await tx.oAuthAuthorizationCode.updateMany({ where: { id: stored.id, usedAt: null }, data: { usedAt: new Date() } });
    if (spent.count === 0) return null;
    const { userId, scopes } = stored;
    const grant = await tx.oAuthGrant.create({
      data: { appId: app.id, userId, organizationId: app.organizationId, scopes, codeId: stored.id, expiresAt: new Date(Date.now() + grantLifetimeMs) },
    });
    const accessToken = await createAccessToken(tx, { appId: app.id, organizationId: app.organizationId, userId, scopes, grantId: grant.id, codeId: stored.id });
    const refreshToken = await createRefreshToken(tx, grant);
    audit({
      organizationId: app.organizationId,
      action: 'oauth.token_issued',
      target: { type: 'oauth_app', id: app.id },
      changes: { after: { grant: 'authorization_code', userId, scopes, grantId: grant.id } },
    });
    return { access_token: accessToken, refresh_token: refreshToken, scope: scopes.join(' ') };
  });
  if (!issued) throw new OAuthError('invalid_grant', 'The code has already been used.');
  return issued;
}

/** The code the form names, checked against its app, redirect URI, PKCE challenge and consent. */
async function checkedCode(prisma: PrismaClient, auditContext: AuditContext, app: OAuthApp, form: URLSearchParams): Promise<OAuthAuthorizationCode> {
  const code = form.get('code');
  const redirectUri = form.get('redirect_uri');
  const verifier = form.get('code_verifier');
  if (!code || !redirectUri || !verifier) {
    throw new OAuthError('invalid_request', 'code, redirect_uri and code_verifier are required.');
  }
  const stored = await prisma.oAuthAuthorizationCode.findUnique({ where: { codeHash: hashSecret(code) } });
  if (!stored || stored.appId !== app.id) throw new OAuthError('invalid_grant', 'The code is not valid.');
  if (stored.usedAt) {
    await revokeWhatCodeGave(prisma, auditContext, app, stored);
    throw new OAuthError('invalid_grant', 'The code has already been used.');
  }
  if (stored.expiresAt <= new Date()) throw new OAuthError('invalid_grant', 'The code has expired.');
  if (stored.redirectUri !== redirectUri) throw new OAuthError('invalid_grant', 'The redirect_uri is not the one the code was issued for.');
  if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) throw new OAuthError('invalid_request', 'code_verifier must be 43 to 128 unreserved characters.');
  if (createHash('sha256').update(verifier).digest('base64url') !== stored.codeChallenge) {
    throw new OAuthError('invalid_grant', 'The code_verifier does not match the code challenge.');
  }
  // Consent withdrawn (by the user, or scopes taken from the app) after the code was issued
  // takes back what the code stood for.
  const consent = await prisma.oAuthConsent.findUnique({ where: { appId_userId: { appId: app.id, userId: stored.userId } } });
  if (!consent || !stored.scopes.every((scope) => consent.scopes.includes(scope))) {
    throw new OAuthError('invalid_grant', 'The user has withdrawn their consent to these scopes.');
  }
  return stored;
}

/** A code used twice may have been stolen: whatever it gave is revoked (RFC 6749 §4.1.2). */
async function revokeWhatCodeGave(prisma: PrismaClient, auditContext: AuditContext, app: OAuthApp, code: OAuthAuthorizationCode): Promise<void> {
  await auditedTransaction(prisma, auditContext, async (tx, audit) => {
    const grantIds = await revokeGrants(tx, { codeId: code.id });
    // Tokens issued before grants existed name only their code.
    await tx.oAuthAccessToken.updateMany({ where: { codeId: code.id, revokedAt: null }, data: { revokedAt: new Date() } });
    if (grantIds.length === 0) return;
    audit({
      organizationId: app.organizationId,
      action: 'oauth.code_reused',
      severity: 'WARNING',
      target: { type: 'oauth_app', id: app.id },
      changes: { after: { userId: code.userId, grantId: grantIds[0], revoked: true } },
    });
  });
}
