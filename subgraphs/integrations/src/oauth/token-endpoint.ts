import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { auditedTransaction, type AuditContext, type OAuthApp, type PrismaClient } from '@token-nexus/prisma';
import { generateSecretToken, hashSecret, secretPrefixes } from '../credentials/secret-tokens.ts';
import { appAuditContext, authenticateClient } from './client-authentication.ts';
import { OAuthError, isPath, serveOAuthEndpoint } from './oauth-protocol.ts';
import { accessTokenLifetimeSeconds } from './oauth-settings.ts';

/** The token endpoint's path, on this subgraph and (proxied) on the gateway. */
export const tokenEndpointPath = '/oauth/token';

/**
 * `POST /oauth/token` (RFC 6749 §3.2): the `authorization_code` grant with PKCE (RFC 7636,
 * S256) and the `client_credentials` grant. Every app is a confidential client: it
 * authenticates with its client secret, by HTTP Basic or in the form. Answers
 * `{ access_token, token_type: "Bearer", expires_in, scope }`, or `{ error, error_description }`.
 */
export async function handleTokenEndpoint(
  request: IncomingMessage,
  response: ServerResponse,
  deps: { prisma: PrismaClient },
): Promise<boolean> {
  if (!isPath(request, tokenEndpointPath)) return false;
  await serveOAuthEndpoint(request, response, async (form) => {
    const app = await authenticateClient(deps.prisma, request, form);
    const grantType = form.get('grant_type');
    const audit = appAuditContext(app, request);
    const issued =
      grantType === 'authorization_code'
        ? await exchangeCode(deps.prisma, audit, app, form)
        : grantType === 'client_credentials'
          ? await grantClientCredentials(deps.prisma, audit, app, form)
          : null;
    if (!issued) throw new OAuthError('unsupported_grant_type', 'grant_type must be authorization_code or client_credentials.');
    return { ...issued, token_type: 'Bearer', expires_in: accessTokenLifetimeSeconds };
  });
  return true;
}

async function exchangeCode(prisma: PrismaClient, auditContext: AuditContext, app: OAuthApp, form: URLSearchParams) {
  const code = form.get('code');
  const redirectUri = form.get('redirect_uri');
  const verifier = form.get('code_verifier');
  if (!code || !redirectUri || !verifier) {
    throw new OAuthError('invalid_request', 'code, redirect_uri and code_verifier are required.');
  }
  const stored = await prisma.oAuthAuthorizationCode.findUnique({ where: { codeHash: hashSecret(code) } });
  if (!stored || stored.appId !== app.id) throw new OAuthError('invalid_grant', 'The code is not valid.');
  if (stored.usedAt) {
    // A code used twice may have been stolen: whatever it gave is revoked (RFC 6749 §4.1.2).
    await prisma.oAuthAccessToken.updateMany({ where: { codeId: stored.id, revokedAt: null }, data: { revokedAt: new Date() } });
    throw new OAuthError('invalid_grant', 'The code has already been used.');
  }
  if (stored.expiresAt <= new Date()) throw new OAuthError('invalid_grant', 'The code has expired.');
  if (stored.redirectUri !== redirectUri) throw new OAuthError('invalid_grant', 'The redirect_uri is not the one the code was issued for.');
  if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) throw new OAuthError('invalid_request', 'code_verifier must be 43 to 128 unreserved characters.');
  if (createHash('sha256').update(verifier).digest('base64url') !== stored.codeChallenge) {
    throw new OAuthError('invalid_grant', 'The code_verifier does not match the code challenge.');
  }
  const secret = generateSecretToken(secretPrefixes.oauthAccessToken);
  const issued = await auditedTransaction(prisma, auditContext, async (tx, audit) => {
    // Only one exchange wins, however many race: the code is spent in the same step.
    const spent = await tx.oAuthAuthorizationCode.updateMany({ where: { id: stored.id, usedAt: null }, data: { usedAt: new Date() } });
    if (spent.count === 0) return false;
    audit({
      organizationId: app.organizationId,
      action: 'oauth.token_issued',
      target: { type: 'oauth_app', id: app.id },
      changes: { after: { grant: 'authorization_code', userId: stored.userId, scopes: stored.scopes } },
    });
    await tx.oAuthAccessToken.create({
      data: {
        tokenHash: hashSecret(secret),
        appId: app.id,
        userId: stored.userId,
        organizationId: app.organizationId,
        scopes: stored.scopes,
        codeId: stored.id,
        expiresAt: new Date(Date.now() + accessTokenLifetimeSeconds * 1000),
      },
    });
    return true;
  });
  if (!issued) throw new OAuthError('invalid_grant', 'The code has already been used.');
  return { access_token: secret, scope: stored.scopes.join(' ') };
}

async function grantClientCredentials(prisma: PrismaClient, auditContext: AuditContext, app: OAuthApp, form: URLSearchParams) {
  const asked = form.get('scope');
  const scopes = asked ? [...new Set(asked.split(' ').filter(Boolean))].sort() : app.allowedScopes;
  const refused = scopes.filter((scope) => !app.allowedScopes.includes(scope));
  if (refused.length > 0) throw new OAuthError('invalid_scope', `The app may not ask for ${refused.join(', ')}.`);
  const secret = generateSecretToken(secretPrefixes.oauthAccessToken);
  await auditedTransaction(prisma, auditContext, async (tx, audit) => {
    await tx.oAuthAccessToken.create({
      data: {
        tokenHash: hashSecret(secret),
        appId: app.id,
        organizationId: app.organizationId,
        scopes,
        expiresAt: new Date(Date.now() + accessTokenLifetimeSeconds * 1000),
      },
    });
    audit({
      organizationId: app.organizationId,
      action: 'oauth.token_issued',
      target: { type: 'oauth_app', id: app.id },
      changes: { after: { grant: 'client_credentials', scopes } },
    });
  });
  return { access_token: secret, scope: scopes.join(' ') };
}
