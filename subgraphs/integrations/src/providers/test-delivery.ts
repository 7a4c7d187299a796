import { randomUUID } from 'node:crypto';
import { auditedTransaction, type WebhookDelivery } from '@token-nexus/prisma';
import { ConflictError, NotFoundError, parseInput } from '@token-nexus/shared';
import { z } from 'zod';
import type { IntegrationsContext } from '../context.ts';
import { deliverWebhook } from '../webhooks/index.ts';
import { replayDelivery } from './dispatch.ts';
import { refuseDisabled, requireEndpoint, signingSecrets } from './endpoints.ts';
import { disableGoneEndpoint } from './endpoint-disabling.ts';

/**
 * Sends a signed `webhook.test` event to an endpoint now, once, and records it as a
 * delivery with its attempt (status code, latency, the start of the answer). A 410 Gone
 * disables the endpoint, as it would for any delivery.
 */
export async function testWebhook(ctx: IntegrationsContext, args: { endpointId: unknown }): Promise<WebhookDelivery> {
  const endpoint = await requireEndpoint(ctx, args.endpointId, 'endpointId');
  refuseDisabled(endpoint);
  const webhookId = `msg_${randomUUID()}`;
  const payload = {
    type: 'webhook.test',
    timestamp: new Date().toISOString(),
    data: { organizationId: endpoint.organizationId, endpointId: endpoint.id },
  };
  const result = await deliverWebhook({
    url: endpoint.url,
    id: webhookId,
    timestamp: Math.floor(Date.now() / 1000),
    body: JSON.stringify(payload),
    secrets: signingSecrets(ctx, endpoint),
    allowList: ctx.webhookAllowList,
  });
  return auditedTransaction(ctx.prisma, ctx.audit, async (tx, audit) => {
    const delivery = await tx.webhookDelivery.create({
      data: {
        endpointId: endpoint.id,
        webhookId,
        eventType: 'webhook.test',
        payload,
        status: result.outcome === 'delivered' ? 'DELIVERED' : 'FAILED',
        attemptCount: 1,
        lastStatusCode: result.statusCode,
        lastError: result.error,
        attempts: {
          create: {
            number: 1,
            statusCode: result.statusCode,
            latencyMs: Math.round(result.latencyMs),
            responseBody: result.responseBody,
            error: result.error,
          },
        },
      },
    });
    if (result.outcome === 'gone') {
      await disableGoneEndpoint(tx, endpoint);
    }
    audit({
      organizationId: endpoint.organizationId,
      action: 'webhook.test_sent',
      target: { type: 'webhook_endpoint', id: endpoint.id },
      changes: { after: { outcome: result.outcome, statusCode: result.statusCode } },
    });
    return delivery;
  });
}

/** Sends a dead delivery again (its endpoint's OWNER or ADMIN). */
export async function replay(ctx: IntegrationsContext, args: { id: unknown }): Promise<WebhookDelivery> {
  const id = parseInput(z.uuid('must be an id returned by this API'), args.id, 'id');
  const delivery = await ctx.prisma.webhookDelivery.findUnique({ where: { id } });
  if (!delivery) throw new NotFoundError('The delivery does not exist.');
  const endpoint = await requireEndpoint(ctx, delivery.endpointId);
  refuseDisabled(endpoint);
  if (delivery.status !== 'DEAD') throw new ConflictError(`Only a DEAD delivery can be replayed; this one is ${delivery.status}.`);
  await auditedTransaction(ctx.prisma, ctx.audit, async (_tx, audit) => {
    audit({ organizationId: endpoint.organizationId, action: 'webhook.delivery_replayed', target: { type: 'webhook_delivery', id } });
  });
  await replayDelivery(ctx.prisma, id);
  return ctx.prisma.webhookDelivery.findUniqueOrThrow({ where: { id } });
}
