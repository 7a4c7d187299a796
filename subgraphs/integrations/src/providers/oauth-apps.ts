import { auditedTransaction, type OAuthApp } from '@token-nexus/prisma';
import type { OAuthConsentWithApp } from '../models.ts';
import { BadUserInputError, NotFoundError, parseInput, scopeCatalogue, type Scope } from '@token-nexus/shared';
import { z } from 'zod';
import type { IntegrationsContext } from '../context.ts';
import { generateSecretToken, hashSecret, secretPrefixes } from '../credentials/secret-tokens.ts';
import { revokeGrants } from '../oauth/grant-tokens.ts';
import { authorizationCodeLifetimeMs } from '../oauth/oauth-settings.ts';
import { policy } from '../policy.ts';
import { displayName, scopeList, uuid } from '../validation/inputs.ts';

const redirectUri = z
  .url({ message: 'must be an absolute URL' })
  .max(2048)
  .refine((value) => {
    const url = new URL(value);
    const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
    return url.protocol === 'https:' || (url.protocol === 'http:' && loopback) || !['http:', 'https:', 'javascript:', 'data:', 'file:'].includes(url.protocol);
  }, 'must be https (http only on localhost), or an app scheme')
  .refine((value) => !new URL(value).hash, 'must not have a fragment');

const registerInput = z.object({
  orgId: uuid,
  name: displayName,
  redirectUris: z.array(redirectUri).min(1, 'must name at least one redirect URI').max(20),
  allowedScopes: scopeList,
  clientType: z.enum(['CONFIDENTIAL', 'PUBLIC']).nullish(),
});

export async function listOAuthApps(ctx: IntegrationsContext, args: { orgId: unknown }): Promise<OAuthApp[]> {
  const organizationId = parseInput(uuid, args.orgId, 'orgId');
  await policy.assertCanManage(ctx, organizationId, 'OAuth apps');
  return ctx.prisma.oAuthApp.findMany({ where: { organizationId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
}

/**
 * Registers an app. A CONFIDENTIAL one gets a client secret, answered this once; a PUBLIC one
 * (a single-page or mobile app, which could not keep one) gets none.
 */
export async function registerOAuthApp(ctx: IntegrationsContext, rawInput: unknown): Promise<{ app: OAuthApp; clientSecret: string | null }> {
  const input = parseInput(registerInput, rawInput, 'input');
  const createdById = policy.requireViewer(ctx);
  await policy.assertCanManage(ctx, input.orgId, 'OAuth apps');
  const clientType = input.clientType ?? 'CONFIDENTIAL';
  const clientSecret = clientType === 'CONFIDENTIAL' ? generateSecretToken(secretPrefixes.oauthClientSecret) : null;
  const app = await auditedTransaction(ctx.prisma, ctx.audit, async (tx, audit) => {
    const created = await tx.oAuthApp.create({
      data: {
        organizationId: input.orgId,
        name: input.name,
        clientId: `tnxapp_${generateSecretToken('').slice(0, 24)}`,
        clientType,
        clientSecretHash: clientSecret && hashSecret(clientSecret),
        redirectUris: [...new Set(input.redirectUris)],
        allowedScopes: input.allowedScopes,
        createdById,
      },
    });
    audit({
      organizationId: input.orgId,
      action: 'oauth.app_registered',
      target: { type: 'oauth_app', id: created.id },
      changes: { after: { name: created.name, clientType, redirectUris: created.redirectUris, allowedScopes: created.allowedScopes } },
    });
    return created;
  });
  return { app, clientSecret };
}

async function requireApp(ctx: IntegrationsContext, rawId: unknown): Promise<OAuthApp> {
  const app = await ctx.prisma.oAuthApp.findUnique({ where: { id: parseInput(uuid, rawId, 'id') } });
  if (!app) throw new NotFoundError('The OAuth app does not exist.');
  await policy.assertCanManage(ctx, app.organizationId, 'OAuth apps');
  return app;
}

const updateInput = z.object({
  name: displayName.nullish(),
  redirectUris: registerInput.shape.redirectUris.nullish(),
  allowedScopes: scopeList.nullish(),
});

export async function updateOAuthApp(ctx: IntegrationsContext, args: { id: unknown; input: unknown }): Promise<OAuthApp> {
  const before = await requireApp(ctx, args.id);
  const input = parseInput(updateInput, args.input, 'input');
  if (before.revokedAt) throw new BadUserInputError('The OAuth app has been revoked; register a new one.', { field: 'id' });
  const allowed = input.allowedScopes ?? before.allowedScopes;
  const withdrawn = before.allowedScopes.filter((scope) => !allowed.includes(scope));
  return auditedTransaction(ctx.prisma, ctx.audit, async (tx, audit) => {
    const after = await tx.oAuthApp.update({
      where: { id: before.id },
      data: {
        ...(input.name != null ? { name: input.name } : {}),
        ...(input.redirectUris != null ? { redirectUris: [...new Set(input.redirectUris)] } : {}),
        ...(input.allowedScopes != null ? { allowedScopes: input.allowedScopes } : {}),
      },
    });
    if (withdrawn.length > 0) {
      // What the app may no longer ask for, nobody has granted it any more.
      await revokeGrants(tx, { appId: before.id, scopes: { hasSome: withdrawn } });
      await tx.oAuthAccessToken.updateMany({
        where: { appId: before.id, revokedAt: null, scopes: { hasSome: withdrawn } },
        data: { revokedAt: new Date() },
      });
      for (const consent of await tx.oAuthConsent.findMany({ where: { appId: before.id, scopes: { hasSome: withdrawn } } })) {
        const kept = consent.scopes.filter((scope) => allowed.includes(scope));
        await (kept.length > 0
          ? tx.oAuthConsent.update({ where: { appId_userId: { appId: before.id, userId: consent.userId } }, data: { scopes: kept } })
          : tx.oAuthConsent.delete({ where: { appId_userId: { appId: before.id, userId: consent.userId } } }));
      }
    }
    audit({
      organizationId: before.organizationId,
      action: 'oauth.app_updated',
      target: { type: 'oauth_app', id: before.id },
      changes: {
        before: { name: before.name, redirectUris: before.redirectUris, allowedScopes: before.allowedScopes },
        after: { name: after.name, redirectUris: after.redirectUris, allowedScopes: after.allowedScopes },
      },
    });
    return after;
  });
}

export async function rotateClientSecret(ctx: IntegrationsContext, args: { id: unknown }): Promise<{ app: OAuthApp; clientSecret: string }> {
  const before = await requireApp(ctx, args.id);
  if (before.revokedAt) throw new BadUserInputError('The OAuth app has been revoked; register a new one.', { field: 'id' });
  if (before.clientType === 'PUBLIC') throw new BadUserInputError('A PUBLIC app has no client secret to rotate.', { field: 'id' });
  const clientSecret = generateSecretToken(secretPrefixes.oauthClientSecret);
  const app = await auditedTransaction(ctx.prisma, ctx.audit, async (tx, audit) => {
    const rotated = await tx.oAuthApp.update({ where: { id: before.id }, data: { clientSecretHash: hashSecret(clientSecret) } });
    audit({ organizationId: before.organizationId, action: 'oauth.client_secret_rotated', target: { type: 'oauth_app', id: before.id } });
    return rotated;
  });
  return { app, clientSecret };
}

export async function revokeOAuthApp(ctx: IntegrationsContext, args: { id: unknown }): Promise<OAuthApp> {
  const before = await requireApp(ctx, args.id);
  if (before.revokedAt) return before;
  return auditedTransaction(ctx.prisma, ctx.audit, async (tx, audit) => {
    const now = new Date();
    const revoked = await tx.oAuthApp.update({ where: { id: before.id }, data: { revokedAt: now } });
    // The gateway and the token endpoint refuse them already (they check the app); marking
    // them too keeps each grant's and token's own row truthful.
    await revokeGrants(tx, { appId: before.id });
    await tx.oAuthAccessToken.updateMany({ where: { appId: before.id, revokedAt: null }, data: { revokedAt: now } });
    audit({ organizationId: before.organizationId, action: 'oauth.app_revoked', target: { type: 'oauth_app', id: before.id } });
    return revoked;
  });
}

const requestInput = z.object({ clientId: z.string().min(1).max(200), redirectUri: z.string().max(2048), scopes: scopeList });

/**
 * Checks what an app asks a user for: the app exists and is not revoked, the redirect URI
 * is one of its own (exactly: the code must never be sent anywhere else), and every scope
 * is one the app may ask for.
 */
async function checkedRequest(ctx: IntegrationsContext, raw: unknown) {
  const input = parseInput(requestInput, raw);
  const app = await ctx.prisma.oAuthApp.findUnique({ where: { clientId: input.clientId } });
  if (!app || app.revokedAt) throw new BadUserInputError('There is no such OAuth app.', { field: 'clientId' });
  if (!app.redirectUris.includes(input.redirectUri)) {
    throw new BadUserInputError("The redirect URI is not one of the app's.", { field: 'redirectUri' });
  }
  const refused = input.scopes.filter((scope) => !app.allowedScopes.includes(scope));
  if (refused.length > 0) {
    throw new BadUserInputError(`The app may not ask for ${refused.join(', ')}.`, { field: 'scopes' });
  }
  return { app, scopes: input.scopes as Scope[] };
}

export async function describeAuthorizationRequest(ctx: IntegrationsContext, args: unknown) {
  const userId = policy.requireViewer(ctx);
  const { app, scopes } = await checkedRequest(ctx, args);
  const consent = await ctx.prisma.oAuthConsent.findUnique({ where: { appId_userId: { appId: app.id, userId } } });
  return {
    app,
    scopes: scopes.map((name) => ({ name, description: scopeCatalogue[name] })),
    alreadyConsented: !!consent && scopes.every((scope) => consent.scopes.includes(scope)),
  };
}

const authorizeInput = z.object({
  state: z.string().max(1024).nullish(),
  codeChallenge: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be base64url(SHA-256(code_verifier)): 43 characters'),
  codeChallengeMethod: z.literal('S256', 'must be S256 (plain is not accepted)'),
});

export async function authorizeOAuthApp(ctx: IntegrationsContext, rawInput: unknown): Promise<{ redirectUrl: string; expiresAt: Date }> {
  const userId = policy.requireViewer(ctx);
  const raw = (rawInput ?? {}) as Record<string, unknown>;
  const { app, scopes } = await checkedRequest(ctx, { clientId: raw.clientId, redirectUri: raw.redirectUri, scopes: raw.scopes });
  const pkce = parseInput(authorizeInput, raw, 'input');
  const code = generateSecretToken(secretPrefixes.oauthCode);
  const expiresAt = new Date(Date.now() + authorizationCodeLifetimeMs);
  await auditedTransaction(ctx.prisma, ctx.audit, async (tx, audit) => {
    await tx.oAuthConsent.upsert({
      where: { appId_userId: { appId: app.id, userId } },
      create: { appId: app.id, userId, scopes },
      update: { scopes },
    });
    await tx.oAuthAuthorizationCode.create({
      data: {
        codeHash: hashSecret(code),
        appId: app.id,
        userId,
        redirectUri: raw.redirectUri as string,
        scopes,
        codeChallenge: pkce.codeChallenge,
        expiresAt,
      },
    });
    audit({
      organizationId: app.organizationId,
      action: 'oauth.consent_granted',
      target: { type: 'oauth_app', id: app.id },
      changes: { after: { userId, scopes } },
    });
  });
  const redirectUrl = new URL(raw.redirectUri as string);
  redirectUrl.searchParams.set('code', code);
  if (pkce.state != null) redirectUrl.searchParams.set('state', pkce.state);
  return { redirectUrl: redirectUrl.toString(), expiresAt };
}

/** The apps the signed-in user has authorized (revoked apps left out: they act for nobody). */
export async function listAuthorizedApps(ctx: IntegrationsContext): Promise<OAuthConsentWithApp[]> {
  const userId = policy.requireViewer(ctx);
  return ctx.prisma.oAuthConsent.findMany({
    where: { userId, app: { revokedAt: null } },
    include: { app: true },
    orderBy: { updatedAt: 'desc' },
  });
}

/** The signed-in user withdraws an app's access: its consent, its grants and its tokens for them go. */
export async function revokeConsent(ctx: IntegrationsContext, args: { appId: unknown }): Promise<boolean> {
  const userId = policy.requireViewer(ctx);
  const appId = parseInput(uuid, args.appId, 'appId');
  const consent = await ctx.prisma.oAuthConsent.findUnique({ where: { appId_userId: { appId, userId } }, include: { app: true } });
  if (!consent) return false;
  await auditedTransaction(ctx.prisma, ctx.audit, async (tx, audit) => {
    await tx.oAuthConsent.delete({ where: { appId_userId: { appId, userId } } });
    await revokeGrants(tx, { appId, userId });
    await tx.oAuthAccessToken.updateMany({ where: { appId, userId, revokedAt: null }, data: { revokedAt: new Date() } });
    audit({
      organizationId: consent.app.organizationId,
      action: 'oauth.consent_revoked',
      target: { type: 'oauth_app', id: appId },
      changes: { before: { userId, scopes: consent.scopes } },
    });
  });
  return true;
}
