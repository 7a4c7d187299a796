import { auditedTransaction, type ApiKey } from '@token-nexus/prisma';
import { BadUserInputError, NotFoundError, parseInput } from '@token-nexus/shared';
import { z } from 'zod';
import type { IntegrationsContext } from '../context.ts';
import { generateSecretToken, hashSecret, secretPrefixes } from '../credentials/secret-tokens.ts';
import { policy } from '../policy.ts';
import { displayName, scopeList, uuid } from '../validation/inputs.ts';

const createInput = z.object({
  orgId: uuid,
  name: displayName,
  scopes: scopeList,
  expiresAt: z.date().nullish().refine((date) => !date || date.getTime() > Date.now(), 'must be in the future'),
});

/** A fresh secret, and the columns that stand for it (the hash, and what lists show). */
function newSecret() {
  const secret = generateSecretToken(secretPrefixes.apiKey);
  return {
    secret,
    columns: { secretHash: hashSecret(secret), prefix: secret.slice(0, 8), lastFour: secret.slice(-4) },
  };
}

export async function listApiKeys(ctx: IntegrationsContext, args: { orgId: unknown }): Promise<ApiKey[]> {
  const organizationId = parseInput(uuid, args.orgId, 'orgId');
  await policy.assertCanManage(ctx, organizationId, 'API keys');
  return ctx.prisma.apiKey.findMany({ where: { organizationId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
}

export async function createApiKey(ctx: IntegrationsContext, rawInput: unknown): Promise<{ apiKey: ApiKey; secret: string }> {
  const input = parseInput(createInput, rawInput, 'input');
  const createdById = policy.requireViewer(ctx);
  await policy.assertCanManage(ctx, input.orgId, 'API keys');
  const { secret, columns } = newSecret();
  const apiKey = await auditedTransaction(ctx.prisma, ctx.audit, async (tx, audit) => {
    const created = await tx.apiKey.create({
      data: {
        organizationId: input.orgId,
        name: input.name,
        scopes: input.scopes,
        expiresAt: input.expiresAt ?? null,
        createdById,
        ...columns,
      },
    });
    audit({
      organizationId: input.orgId,
      action: 'api_key.created',
      target: { type: 'api_key', id: created.id },
      changes: { after: { name: created.name, scopes: created.scopes, expiresAt: created.expiresAt?.toISOString() ?? null } },
    });
    return created;
  });
  return { apiKey, secret };
}

async function requireApiKey(ctx: IntegrationsContext, rawId: unknown): Promise<ApiKey> {
  const key = await ctx.prisma.apiKey.findUnique({ where: { id: parseInput(uuid, rawId, 'id') } });
  if (!key) throw new NotFoundError('The API key does not exist.');
  await policy.assertCanManage(ctx, key.organizationId, 'API keys');
  return key;
}

export async function rotateApiKey(ctx: IntegrationsContext, args: { id: unknown }): Promise<{ apiKey: ApiKey; secret: string }> {
  const before = await requireApiKey(ctx, args.id);
  if (before.revokedAt) throw new BadUserInputError('The API key has been revoked; make a new one.', { field: 'id' });
  const { secret, columns } = newSecret();
  const apiKey = await auditedTransaction(ctx.prisma, ctx.audit, async (tx, audit) => {
    const rotated = await tx.apiKey.update({ where: { id: before.id }, data: columns });
    audit({ organizationId: before.organizationId, action: 'api_key.rotated', target: { type: 'api_key', id: before.id } });
    return rotated;
  });
  return { apiKey, secret };
}

export async function revokeApiKey(ctx: IntegrationsContext, args: { id: unknown }): Promise<ApiKey> {
  const before = await requireApiKey(ctx, args.id);
  if (before.revokedAt) return before;
  return auditedTransaction(ctx.prisma, ctx.audit, async (tx, audit) => {
    const revoked = await tx.apiKey.update({ where: { id: before.id }, data: { revokedAt: new Date() } });
    audit({
      organizationId: before.organizationId,
      action: 'api_key.revoked',
      target: { type: 'api_key', id: before.id },
      changes: { before: { name: before.name } },
    });
    return revoked;
  });
}

/** Neither revoked nor past its expiry. */
export function isActive(key: Pick<ApiKey, 'revokedAt' | 'expiresAt'>, now = new Date()): boolean {
  return !key.revokedAt && (!key.expiresAt || key.expiresAt > now);
}
