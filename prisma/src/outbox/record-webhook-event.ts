import { currentCausation } from '@token-nexus/shared';
import type { AuditTransaction } from '../audit/record-audit.ts';
import type { Prisma } from '../generated/client.ts';

/** An event an organization's webhook endpoints can subscribe to (see the integrations catalogue). */
export interface WebhookEventInput {
  organizationId: string;
  /** `<noun>.<past tense verb>`, e.g. `member.added`. */
  type: string;
  /** What receivers get as `data`: ids and public fields, never secrets. */
  data: Prisma.InputJsonObject;
}

/**
 * Records an event in the outbox, in the transaction of the change that causes it: it
 * exists if and only if the change commits. The integrations subgraph delivers it, and the
 * workflows service starts the runs it triggers. When a workflow's step caused the change,
 * the event carries the chain of runs behind it (see causation.ts).
 */
export async function recordWebhookEvent(tx: AuditTransaction, event: WebhookEventInput): Promise<void> {
  const causation = [...currentCausation()];
  await tx.webhookEvent.create({
    data: { organizationId: event.organizationId, type: event.type, data: event.data, ...(causation.length ? { causation } : {}) },
  });
}
