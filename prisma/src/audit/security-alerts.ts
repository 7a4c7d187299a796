import type { PrismaClient } from '../generated/client.ts';
import { recordWebhookEvent } from '../outbox/record-webhook-event.ts';
import { auditedTransaction, type AuditContext } from './record-audit.ts';
import type { SecurityBurstKind } from './security-bursts.ts';

/** A burst that reached its threshold. */
export interface SecurityAlert {
  burst: SecurityBurstKind;
  /** The trail the entry goes to; null: the platform's. */
  organizationId: string | null;
  target: { type: string; id: string } | null;
  numbers: { count: number; threshold: number; windowSeconds: number };
  details: Record<string, string | null>;
  webhookData: Record<string, string | null>;
  /** The organizations whose webhook endpoints hear of it (each once). */
  notify: string[];
}

/**
 * Records one `security.alert` entry (CRITICAL) and, in the same transaction, one
 * `security.alert` webhook event for each organization to tell: the alert exists in the
 * trail if and only if its events are on their way. The actor and address are those of
 * the request whose event reached the threshold.
 */
export async function raiseSecurityAlert(
  prisma: PrismaClient,
  context: AuditContext,
  alert: SecurityAlert,
): Promise<void> {
  await auditedTransaction(prisma, context, async (tx, audit) => {
    audit({
      organizationId: alert.organizationId,
      action: 'security.alert',
      severity: 'CRITICAL',
      target: alert.target,
      changes: { after: { burst: alert.burst, ...alert.numbers, ...alert.details } },
    });
    for (const organizationId of new Set(alert.notify)) {
      await recordWebhookEvent(tx, {
        organizationId,
        type: 'security.alert',
        data: { burst: alert.burst, ...alert.numbers, ...alert.webhookData },
      });
    }
  });
}
