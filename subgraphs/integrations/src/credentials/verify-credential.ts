import type { Actor } from '@token-nexus/shared';
import type { PrismaClient } from '@token-nexus/prisma';
import type { RevokedCredentialUse } from './revoked-credential-use.ts';
import { hashSecret, secretPrefixes } from './secret-tokens.ts';

export type CredentialVerdict = { ok: true; actor: Actor } | { ok: false; message: string };

/** How stale `lastUsedAt` may get: one write a minute per key, however busy it is. */
const lastUsedResolutionMs = 60_000;

export interface VerifyOptions {
  now?: Date;
  /** Told of a revoked credential presented again (a leaked one, or a forgotten client), before the refusal. */
  onRevokedUse?: (use: RevokedCredentialUse) => Promise<void>;
}

/**
 * Who a program's bearer secret stands for, checked against the database on every
 * request, so that revoking a key, an app, an access token or its grant, or a key's expiry,
 * takes effect at once.
 */
export async function verifyCredential(prisma: PrismaClient, secret: string, options: VerifyOptions = {}): Promise<CredentialVerdict> {
  const now = options.now ?? new Date();
  if (secret.startsWith(secretPrefixes.apiKey)) return verifyApiKey(prisma, secret, now, options);
  if (secret.startsWith(secretPrefixes.oauthAccessToken)) return verifyAccessToken(prisma, secret, now, options);
  return { ok: false, message: 'The bearer token is not an API key or OAuth access token.' };
}

async function verifyApiKey(prisma: PrismaClient, secret: string, now: Date, options: VerifyOptions): Promise<CredentialVerdict> {
  const key = await prisma.apiKey.findUnique({ where: { secretHash: hashSecret(secret) } });
  if (!key) return { ok: false, message: 'The API key is not valid.' };
  if (key.revokedAt) {
    await options.onRevokedUse?.({
      kind: 'api_key',
      id: key.id,
      organizationId: key.organizationId,
      holderId: key.id,
      revokedAt: key.revokedAt,
    });
    return { ok: false, message: 'The API key has been revoked.' };
  }
  if (key.expiresAt && key.expiresAt <= now) return { ok: false, message: 'The API key has expired.' };
  if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() >= lastUsedResolutionMs) {
    await prisma.apiKey.updateMany({
      where: { id: key.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(now.getTime() - lastUsedResolutionMs) } }] },
      data: { lastUsedAt: now },
    });
  }
  return {
    ok: true,
    actor: {
      type: 'client',
      credential: { kind: 'api_key', id: key.id },
      organizationId: key.organizationId,
      scopes: key.scopes,
      accountableUserId: key.createdById,
    },
  };
}

async function verifyAccessToken(prisma: PrismaClient, secret: string, now: Date, options: VerifyOptions): Promise<CredentialVerdict> {
  const token = await prisma.oAuthAccessToken.findUnique({
    where: { tokenHash: hashSecret(secret) },
    include: { app: { select: { revokedAt: true, createdById: true } }, grant: { select: { revokedAt: true } } },
  });
  if (!token) return { ok: false, message: 'The access token is not valid.' };
  // Its grant's revocation counts whatever the token's own row says (see revokeGrants).
  const revokedAt = token.revokedAt ?? token.app.revokedAt ?? token.grant?.revokedAt ?? null;
  if (revokedAt) {
    await options.onRevokedUse?.({
      kind: 'oauth_access_token',
      id: token.id,
      organizationId: token.organizationId,
      holderId: `oauth-app:${token.appId}`,
      revokedAt,
    });
    return { ok: false, message: 'The access token has been revoked.' };
  }
  if (token.expiresAt <= now) return { ok: false, message: 'The access token has expired.' };
  if (token.userId) {
    return { ok: true, actor: { type: 'user', userId: token.userId, delegation: { appId: token.appId, scopes: token.scopes } } };
  }
  return {
    ok: true,
    actor: {
      type: 'client',
      credential: { kind: 'oauth_app', id: token.appId },
      organizationId: token.organizationId,
      scopes: token.scopes,
      accountableUserId: token.app.createdById,
    },
  };
}
