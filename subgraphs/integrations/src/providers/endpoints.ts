import { auditedTransaction, type WebhookEndpoint } from '@token-nexus/prisma';
import { BadUserInputError, NotFoundError, generateSecret, parseInput, webhookEventTypeNames } from '@token-nexus/shared';
import { z } from 'zod';
import type { IntegrationsContext } from '../context.ts';
import { policy } from '../policy.ts';

const uuid = z.uuid('must be an id returned by this API');
const endpointUrl = z
  .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
  .max(2048, 'must be at most 2,048 characters')
  .refine((value) => !new URL(value).username && !new URL(value).password, 'must not carry a user name or password');
const eventTypes = z
  .array(z.string())
  .min(1, 'must name at least one event type')
  .max(50)
  .refine((names) => names.every((name) => webhookEventTypeNames.includes(name)), 'must be names from webhookEventTypes');
const description = z.string().max(500, 'must be at most 500 characters');

/** What the secret is bound to, so a ciphertext copied to another endpoint does not decrypt. */
export const secretBinding = (endpointId: string) => `webhook-endpoint:${endpointId}`;

export async function requireEndpoint(ctx: IntegrationsContext, rawId: unknown, field = 'id'): Promise<WebhookEndpoint> {
  const endpoint = await ctx.prisma.webhookEndpoint.findUnique({ where: { id: parseInput(uuid, rawId, field) } });
  if (!endpoint) throw new NotFoundError('The webhook endpoint does not exist.');
  await policy.assertCanManage(ctx, endpoint.organizationId);
  return endpoint;
}

export async function listEndpoints(ctx: IntegrationsContext, args: { orgId: unknown }): Promise<WebhookEndpoint[]> {
  const organizationId = parseInput(uuid, args.orgId, 'orgId');
  await policy.assertCanManage(ctx, organizationId);
  return ctx.prisma.webhookEndpoint.findMany({ where: { organizationId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
}

const createInput = z.object({ orgId: uuid, url: endpointUrl, eventTypes, description: description.nullish() });

export async function createEndpoint(
  ctx: IntegrationsContext,
  rawInput: unknown,
): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  const input = parseInput(createInput, rawInput, 'input');
  const createdById = policy.requireViewer(ctx);
  await policy.assertCanManage(ctx, input.orgId);
  const secret = generateSecret();
  const endpoint = await auditedTransaction(ctx.prisma, ctx.audit, async (tx, audit) => {
    const created = await tx.webhookEndpoint.create({
      data: {
        organizationId: input.orgId,
        url: input.url,
        eventTypes: input.eventTypes,
        description: input.description ?? '',
        encryptedSecret: 'pending',
        createdById,
      },
    });
    const withSecret = await tx.webhookEndpoint.update({
      where: { id: created.id },
      data: { encryptedSecret: ctx.keys.encrypt(secret, secretBinding(created.id)) },
    });
    audit({
      organizationId: input.orgId,
      action: 'webhook.endpoint_created',
      target: { type: 'webhook_endpoint', id: created.id },
      changes: { after: { url: input.url, eventTypes: input.eventTypes } },
    });
    return withSecret;
  });
  return { endpoint, secret };
}

const updateInput = z.object({
  url: endpointUrl.nullish(),
  eventTypes: eventTypes.nullish(),
  description: description.nullish(),
  enabled: z.boolean().nullish(),
});

export async function updateEndpoint(ctx: IntegrationsContext, args: { id: unknown; input: unknown }): Promise<WebhookEndpoint> {
  const before = await requireEndpoint(ctx, args.id);
  const input = parseInput(updateInput, args.input, 'input');
  return auditedTransaction(ctx.prisma, ctx.audit, async (tx, audit) => {
    const after = await tx.webhookEndpoint.update({
      where: { id: before.id },
      data: {
        ...(input.url != null ? { url: input.url } : {}),
        ...(input.eventTypes != null ? { eventTypes: input.eventTypes } : {}),
        ...(input.description != null ? { description: input.description } : {}),
        ...(input.enabled != null ? { enabled: input.enabled, ...(input.enabled ? { disabledReason: null } : {}) } : {}),
      },
    });
    audit({
      organizationId: before.organizationId,
      action: 'webhook.endpoint_updated',
      target: { type: 'webhook_endpoint', id: before.id },
      changes: {
        before: { url: before.url, eventTypes: before.eventTypes, enabled: before.enabled },
        after: { url: after.url, eventTypes: after.eventTypes, enabled: after.enabled },
      },
    });
    return after;
  });
}

export async function rotateSecret(
  ctx: IntegrationsContext,
  args: { id: unknown; overlapHours?: unknown },
): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  const before = await requireEndpoint(ctx, args.id);
  const overlapHours = args.overlapHours == null ? 24 : parseInput(z.int().min(0).max(168), args.overlapHours, 'overlapHours');
  const secret = generateSecret();
  const endpoint = await auditedTransaction(ctx.prisma, ctx.audit, async (tx, audit) => {
    const rotated = await tx.webhookEndpoint.update({
      where: { id: before.id },
      data: {
        encryptedSecret: ctx.keys.encrypt(secret, secretBinding(before.id)),
        encryptedPreviousSecret: overlapHours > 0 ? before.encryptedSecret : null,
        previousSecretExpiresAt: overlapHours > 0 ? new Date(Date.now() + overlapHours * 3_600_000) : null,
      },
    });
    audit({
      organizationId: before.organizationId,
      action: 'webhook.secret_rotated',
      target: { type: 'webhook_endpoint', id: before.id },
      changes: { after: { overlapHours } },
    });
    return rotated;
  });
  return { endpoint, secret };
}

export async function deleteEndpoint(ctx: IntegrationsContext, args: { id: unknown }): Promise<boolean> {
  const endpoint = await requireEndpoint(ctx, args.id);
  await auditedTransaction(ctx.prisma, ctx.audit, async (tx, audit) => {
    await tx.webhookEndpoint.delete({ where: { id: endpoint.id } });
    audit({
      organizationId: endpoint.organizationId,
      action: 'webhook.endpoint_deleted',
      target: { type: 'webhook_endpoint', id: endpoint.id },
      changes: { before: { url: endpoint.url } },
    });
  });
  return true;
}

/** The secrets that sign now: the current one, and the previous one during its overlap. */
export function signingSecrets(ctx: Pick<IntegrationsContext, 'keys'>, endpoint: WebhookEndpoint, now = new Date()): string[] {
  const current = ctx.keys.decrypt(endpoint.encryptedSecret, secretBinding(endpoint.id));
  if (!endpoint.encryptedPreviousSecret || !endpoint.previousSecretExpiresAt || endpoint.previousSecretExpiresAt <= now) {
    return [current];
  }
  return [current, ctx.keys.decrypt(endpoint.encryptedPreviousSecret, secretBinding(endpoint.id))];
}

export function refuseDisabled(endpoint: WebhookEndpoint): void {
  if (!endpoint.enabled) {
    throw new BadUserInputError(`The endpoint is disabled${endpoint.disabledReason ? ` (${endpoint.disabledReason})` : ''}; enable it first.`, {
      field: 'endpointId',
    });
  }
}
