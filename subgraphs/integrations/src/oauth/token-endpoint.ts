import type { IncomingMessage, ServerResponse } from 'node:http';
import { auditedTransaction, type AuditContext, type OAuthApp, type PrismaClient } from '@token-nexus/prisma';
import { exchangeCode, type IssuedTokens } from './authorization-code-grant.ts';
import { appAuditContext, authenticateClient } from './client-authentication.ts';
import { createAccessToken } from './grant-tokens.ts';
import { OAuthError, isPath, serveOAuthEndpoint } from './oauth-protocol.ts';
import { accessTokenLifetimeSeconds } from './oauth-settings.ts';
import { refreshTokens } from './refresh-token-grant.ts';

/** The token endpoint's path, on this subgraph and (proxied) on the gateway. */
export const tokenEndpointPath = '/oauth/token';

type Grant = (prisma: PrismaClient, audit: AuditContext, app: OAuthApp, form: URLSearchParams) => Promise<IssuedTokens>;

const grants: Record<string, Grant> = {
  authorization_code: exchangeCode,
  refresh_token: refreshTokens,
  client_credentials: grantClientCredentials,
};

/**
 * `POST /oauth/token` (RFC 6749 §3.2): the `authorization_code` grant with PKCE (RFC 7636,
 * S256), the `refresh_token` grant (rotating), and the `client_credentials` grant (confidential
 * apps only). The client authenticates as `authenticateClient` says. Answers `{ access_token, refresh_token?, token_type: "Bearer", expires_in, scope }`,
 * or `{ error, error_description }`.
 */
export async function handleTokenEndpoint(
  request: IncomingMessage,
  response: ServerResponse,
  deps: { prisma: PrismaClient; onAuditRecorded: AuditContext['onRecorded'] },
): Promise<boolean> {
  if (!isPath(request, tokenEndpointPath)) return false;
  await serveOAuthEndpoint(request, response, async (form) => {
    const app = await authenticateClient(deps.prisma, request, form);
    const grantType = form.get('grant_type') ?? '';
    const grant = Object.hasOwn(grants, grantType) ? grants[grantType] : undefined;
    if (!grant) throw new OAuthError('unsupported_grant_type', `grant_type must be one of ${Object.keys(grants).join(', ')}.`);
    const issued = await grant(deps.prisma, appAuditContext(app, request, deps.onAuditRecorded), app, form);
    return { ...issued, token_type: 'Bearer', expires_in: accessTokenLifetimeSeconds };
  });
  return true;
}

/**
 * The `client_credentials` grant (RFC 6749 §4.4): the app acts for its own organization,
 * with the scopes it asks for among those allowed. No refresh token (§4.4.3): it asks again.
 */
async function grantClientCredentials(prisma: PrismaClient, auditContext: AuditContext, app: OAuthApp, form: URLSearchParams): Promise<IssuedTokens> {
  // Anyone can send a public client's id: it proves nothing the app could act on alone.
  if (app.clientType === 'PUBLIC') throw new OAuthError('unauthorized_client', 'A public client cannot use the client_credentials grant.');
  const asked = form.get('scope');
  const scopes = asked ? [...new Set(asked.split(' ').filter(Boolean))].sort() : app.allowedScopes;
  const refused = scopes.filter((scope) => !app.allowedScopes.includes(scope));
  if (refused.length > 0) throw new OAuthError('invalid_scope', `The app may not ask for ${refused.join(', ')}.`);
  const accessToken = await auditedTransaction(prisma, auditContext, async (tx, audit) => {
    audit({
      organizationId: app.organizationId,
      action: 'oauth.token_issued',
      target: { type: 'oauth_app', id: app.id },
      changes: { after: { grant: 'client_credentials', scopes } },
    });
    return createAccessToken(tx, { appId: app.id, organizationId: app.organizationId, scopes });
  });
  return { access_token: accessToken, scope: scopes.join(' ') };
}
