import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { AuditContext, OAuthApp, PrismaClient } from '@token-nexus/prisma';
import { hashSecret } from '../credentials/secret-tokens.ts';
import { OAuthError } from './oauth-protocol.ts';

/**
 * The client of a token or revocation request (RFC 6749 §2.3.1). A CONFIDENTIAL app sends its
 * secret, by HTTP Basic (`client_id:client_secret`, each form-encoded) or in the form's
 * `client_id` and `client_secret`; a PUBLIC app sends its `client_id` alone (RFC 6749 §2.1,
 * token_endpoint_auth_method `none`). Anything else is invalid_client.
 */
export async function authenticateClient(prisma: PrismaClient, request: IncomingMessage, form: URLSearchParams): Promise<OAuthApp> {
  const { clientId, clientSecret } = presentedCredentials(request.headers.authorization, form);
  if (!clientId) throw new OAuthError('invalid_client', 'Authenticate the client with its id (and the secret of a confidential app).');
  const app = await prisma.oAuthApp.findUnique({ where: { clientId } });
  if (!app || app.revokedAt) throw new OAuthError('invalid_client', 'The client id is wrong, or the app has been revoked.');
  if (app.clientType === 'PUBLIC') {
    // A secret from a client that has none is a mistake to point out, not to overlook.
    if (clientSecret) throw new OAuthError('invalid_client', 'A public client has no secret: send its client_id alone.');
    return app;
  }
  if (!clientSecret) throw new OAuthError('invalid_client', 'A confidential client must authenticate with its client secret.');
  if (!app.clientSecretHash || !sameHash(app.clientSecretHash, hashSecret(clientSecret))) {
    throw new OAuthError('invalid_client', 'The client secret is wrong.');
  }
  return app;
}

/** The app acts at these endpoints: what they record is in its organization's trail as its own act. */
export function appAuditContext(app: OAuthApp, request: IncomingMessage, onRecorded: AuditContext['onRecorded']): AuditContext {
  const requestId = request.headers['x-request-id'];
  return {
    onRecorded,
    actor: { type: 'API_KEY', id: `oauth-app:${app.id}` },
    requestId: typeof requestId === 'string' ? requestId.slice(0, 128) : null,
    clientIp: null,
    userAgent: null,
  };
}

/** HTTP Basic wins over the form's fields when both are sent. */
function presentedCredentials(authorization: string | undefined, form: URLSearchParams) {
  const basic = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
  if (!basic) return { clientId: form.get('client_id'), clientSecret: form.get('client_secret') };
  const [id, secret] = Buffer.from(basic[1]!, 'base64').toString('utf8').split(':');
  return { clientId: formDecoded(id ?? ''), clientSecret: formDecoded(secret ?? '') };
}

/** A Basic credential's part, form-decoded as RFC 6749 §2.3.1 says; null when malformed. */
function formDecoded(value: string): string | null {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return null;
  }
}

function sameHash(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}
