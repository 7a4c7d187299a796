import { enqueueJob, type Prisma, type WebhookEndpoint } from '@token-nexus/prisma';
import { notifyAdminsJob } from '@token-nexus/shared';

/**
 * Disables an endpoint whose receiver answered 410 Gone, in the caller's transaction, and
 * has the organization's admins told by email (a job of the same transaction). Only the
 * change from enabled to disabled notifies: concurrent deliveries that both see the 410
 * send one email.
 */
export async function disableGoneEndpoint(tx: Prisma.TransactionClient, endpoint: WebhookEndpoint): Promise<void> {
  const disabled = await tx.webhookEndpoint.updateMany({
    where: { id: endpoint.id, enabled: true },
    data: { enabled: false, disabledReason: 'The receiver answered 410 Gone.' },
  });
  if (disabled.count === 0) return;
  await enqueueJob(tx, notifyAdminsJob, {
    organizationId: endpoint.organizationId,
    notice: {
      template: 'webhookEndpointDisabled',
      data: { endpointUrl: endpoint.url, description: endpoint.description || null, reason: 'gone' },
    },
  });
}
