import type { IncomingMessage, ServerResponse } from 'node:http';
import { auditedTransaction, type AuditContext, type OAuthApp, type PrismaClient } from '@token-nexus/prisma';
import { hashSecret, secretPrefixes } from '../credentials/secret-tokens.ts';
import { appAuditContext, authenticateClient } from './client-authentication.ts';
import { revokeGrants } from './grant-tokens.ts';
import { OAuthError, isPath, serveOAuthEndpoint } from './oauth-protocol.ts';

/** The revocation endpoint's path, on this subgraph and (proxied) on the gateway. */
export const revocationEndpointPath = '/oauth/revoke';

/**
 * `POST /oauth/revoke` (RFC 7009): a client revokes one of its own tokens, `token` in the
 * form, authenticated as at the token endpoint. A refresh token ends its whole grant (every
 * access and refresh token of it); an access token ends alone. The answer is 200 with an
 * empty body whenever the client is authenticated, also for a token that is unknown, already
 * revoked, or another client's (which is left alone): the caller learns nothing about tokens
 * that are not its own. `token_type_hint` is not needed (the token's prefix tells its kind)
 * and is ignored, whatever it says.
 */
export async function handleRevocationEndpoint(
  request: IncomingMessage,
  response: ServerResponse,
  deps: { prisma: PrismaClient; onAuditRecorded: AuditContext['onRecorded'] },
): Promise<boolean> {
  if (!isPath(request, revocationEndpointPath)) return false;
  await serveOAuthEndpoint(request, response, async (form) => {
    const app = await authenticateClient(deps.prisma, request, form);
    const token = form.get('token');
    if (!token) throw new OAuthError('invalid_request', 'token is required.');
    const audit = appAuditContext(app, request, deps.onAuditRecorded);
    if (token.startsWith(secretPrefixes.oauthRefreshToken)) await revokeRefreshToken(deps.prisma, audit, app, token);
    else if (token.startsWith(secretPrefixes.oauthAccessToken)) await revokeAccessToken(deps.prisma, audit, app, token);
    return null;
  });
  return true;
}

async function revokeRefreshToken(prisma: PrismaClient, auditContext: AuditContext, app: OAuthApp, token: string): Promise<void> {
  const stored = await prisma.oAuthRefreshToken.findUnique({ where: { tokenHash: hashSecret(token) }, include: { grant: true } });
  if (!stored || stored.grant.appId !== app.id) return;
  const { grant } = stored;
  await auditedTransaction(prisma, auditContext, async (tx, audit) => {
    if ((await revokeGrants(tx, { id: grant.id })).length === 0) return;
    audit({
      organizationId: grant.organizationId,
      action: 'oauth.token_revoked',
      target: { type: 'oauth_app', id: app.id },
      changes: { after: { revoked: 'refresh_token', userId: grant.userId, grantId: grant.id } },
    });
  });
}

async function revokeAccessToken(prisma: PrismaClient, auditContext: AuditContext, app: OAuthApp, token: string): Promise<void> {
  const stored = await prisma.oAuthAccessToken.findUnique({ where: { tokenHash: hashSecret(token) } });
  if (!stored || stored.appId !== app.id) return;
  await auditedTransaction(prisma, auditContext, async (tx, audit) => {
    const revoked = await tx.oAuthAccessToken.updateMany({ where: { id: stored.id, revokedAt: null }, data: { revokedAt: new Date() } });
    if (revoked.count === 0) return;
    audit({
      organizationId: stored.organizationId,
      action: 'oauth.token_revoked',
      target: { type: 'oauth_app', id: app.id },
      changes: { after: { revoked: 'access_token', userId: stored.userId, grantId: stored.grantId } },
    });
  });
}
