import { randomUUID } from 'node:crypto';
import { enqueueJob, type JobDefinition, type JobHandler, type PrismaClient, type WebhookEndpoint } from '@token-nexus/prisma';
import { startPolling, type KeyVault, type Logger } from '@token-nexus/shared';
import { deliverWebhook, maxDeliveryAttempts, nextAttemptDelay } from '../webhooks/index.ts';
import { signingSecrets } from './endpoints.ts';
import { disableGoneEndpoint } from './endpoint-disabling.ts';

/** `attempt`: the attempt this job makes; a job run again after its attempt was recorded does nothing. */
export type DeliverPayload = { deliveryId: string; attempt: number };

/**
 * One attempt per job. A failed attempt schedules the next as a new job at the time the
 * schedule (or the receiver's Retry-After) says; the runner's own retries only cover a
 * worker that dies mid-attempt, so an attempt that was recorded is never repeated.
 */
export const deliverJob: JobDefinition<DeliverPayload> = { queue: 'integrations.deliver', maxAttempts: 5, leaseMs: 60_000 };

/**
 * Turns outbox events into deliveries, one per enabled endpoint of the organization that
 * subscribes to the event's type, each with its own `webhook-id` and a job; the events
 * are marked dispatched in the same transaction. Rows are claimed with SKIP LOCKED, so
 * replicas dispatch side by side and each event exactly once.
 */
export async function dispatchEvents(prisma: PrismaClient, limit = 100): Promise<number> {
  return prisma.$transaction(async (tx) => {
    const events = await tx.$queryRaw<{ id: string; organization_id: string; type: string; data: unknown; created_at: Date }[]>`
      SELECT id, organization_id, type, data, created_at FROM integrations.webhook_events
      WHERE dispatched_at IS NULL ORDER BY created_at LIMIT ${limit} FOR UPDATE SKIP LOCKED`;
    for (const event of events) {
      const endpoints = await tx.webhookEndpoint.findMany({
        where: { organizationId: event.organization_id, enabled: true, eventTypes: { has: event.type } },
      });
      for (const endpoint of endpoints) {
        const delivery = await tx.webhookDelivery.create({
          data: {
            endpointId: endpoint.id,
            webhookId: `msg_${randomUUID()}`,
            eventType: event.type,
            payload: { type: event.type, timestamp: event.created_at.toISOString(), data: event.data as object },
          },
        });
        await enqueueJob(tx, deliverJob, { deliveryId: delivery.id, attempt: 1 });
      }
      await tx.webhookEvent.update({ where: { id: event.id }, data: { dispatchedAt: new Date() } });
    }
    return events.length;
  });
}

/** Polls the outbox every `intervalMs` (a round after a full batch follows at once). */
export function startDispatcher(options: { prisma: PrismaClient; logger: Logger; intervalMs: number }) {
  return startPolling(options.intervalMs, options.logger, 'webhook dispatch', async () => (await dispatchEvents(options.prisma)) === 100);
}

/** The delivery jobs: one attempt each, recorded, and the next one scheduled or the delivery dead. */
export function deliveryHandler(deps: {
  prisma: PrismaClient;
  keys: KeyVault;
  allowList: string[];
  retryScale: number;
  timeoutMs: number;
}): JobHandler<DeliverPayload> {
  return {
    definition: deliverJob,
    async run({ deliveryId, attempt }) {
      const delivery = await deps.prisma.webhookDelivery.findUnique({ where: { id: deliveryId }, include: { endpoint: true } });
      if (!delivery || delivery.status === 'DELIVERED' || delivery.status === 'DEAD') return;
      if (delivery.attemptCount >= attempt) return;
      const endpoint: WebhookEndpoint = delivery.endpoint;
      const number = delivery.attemptCount + 1;
      if (!endpoint.enabled) {
        await deps.prisma.webhookDelivery.update({
          where: { id: deliveryId },
          data: { status: 'DEAD', lastError: 'The endpoint is disabled.' },
        });
        return;
      }
      const result = await deliverWebhook({
        url: endpoint.url,
        id: delivery.webhookId,
        timestamp: Math.floor(Date.now() / 1000),
        body: JSON.stringify(delivery.payload),
        secrets: signingSecrets(deps, endpoint),
        allowList: deps.allowList,
        timeoutMs: deps.timeoutMs,
      });
      // The schedule counts attempts since the last replay (8 per round), so a replayed
      // delivery starts over.
      const sinceReplay = ((number - 1) % maxDeliveryAttempts) + 1;
      const delay =
        result.outcome === 'failed'
          ? nextAttemptDelay(sinceReplay, { retryAfterSeconds: result.retryAfterSeconds, scale: deps.retryScale })
          : null;
      const status =
        result.outcome === 'delivered' ? 'DELIVERED' : result.outcome === 'failed' && delay !== null ? 'FAILED' : 'DEAD';
      await deps.prisma.$transaction(async (tx) => {
        await tx.webhookAttempt.create({
          data: {
            deliveryId,
            number,
            statusCode: result.statusCode,
            latencyMs: Math.round(result.latencyMs),
            responseBody: result.responseBody,
            error: result.error,
          },
        });
        await tx.webhookDelivery.update({
          where: { id: deliveryId },
          data: { status, attemptCount: number, lastStatusCode: result.statusCode, lastError: result.error },
        });
        if (result.outcome === 'gone') {
          await disableGoneEndpoint(tx, endpoint);
        }
        if (status === 'FAILED' && delay !== null) {
          await enqueueJob(tx, deliverJob, { deliveryId, attempt: number + 1 }, { runAt: new Date(Date.now() + delay) });
        }
      });
    },
  };
}

/** Sends a dead delivery again from its first attempt's schedule (same `webhook-id`). */
export async function replayDelivery(prisma: PrismaClient, deliveryId: string): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const delivery = await tx.webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId } });
    await tx.webhookDelivery.update({ where: { id: deliveryId }, data: { status: 'PENDING' } });
    await enqueueJob(tx, deliverJob, { deliveryId, attempt: delivery.attemptCount + 1 });
  });
}
