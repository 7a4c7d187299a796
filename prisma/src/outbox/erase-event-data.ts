import { Prisma } from '../generated/client.ts';
import type { AuditTransaction } from '../audit/record-audit.ts';

/** Which events' data to erase, and what of it. */
export interface EventDataErasure {
  organizationId: string;
  /** The event type, e.g. `form.submitted`. */
  type: string;
  /** The key of `data` that names the record erased, and its value, e.g. `submissionId`. */
  key: string;
  value: string;
  /** The keys of `data` whose values are erased (each becomes null, the key stays). */
  fields: string[];
}

/**
 * Erases fields of an event's data from every copy the platform keeps of it, in the
 * caller's transaction: the outbox row, each webhook delivery made from it (its payload's
 * `data`), and each workflow run it started (its trigger payload's `event.data`). What was
 * already sent to receivers is theirs; what we hold is gone once this commits. This is the
 * outbox's own business, like recording an event: the domain erasing a record does not
 * need to know who copied its events.
 */
export async function eraseEventData(tx: AuditTransaction, erasure: EventDataErasure): Promise<void> {
  const nulls = JSON.stringify(Object.fromEntries(erasure.fields.map((field) => [field, null])));
  const { organizationId, type, key, value } = erasure;
  await tx.$executeRaw(Prisma.sql`
    UPDATE integrations.webhook_events SET data = data || ${nulls}::jsonb
    WHERE organization_id = ${organizationId}::uuid AND type = ${type} AND data ->> ${key} = ${value}`);
  await tx.$executeRaw(Prisma.sql`
    UPDATE integrations.webhook_deliveries SET payload = jsonb_set(payload, '{data}', (payload -> 'data') || ${nulls}::jsonb)
    WHERE event_type = ${type} AND payload -> 'data' ->> ${key} = ${value}
      AND endpoint_id IN (SELECT id FROM integrations.webhook_endpoints WHERE organization_id = ${organizationId}::uuid)`);
  await tx.$executeRaw(Prisma.sql`
    UPDATE workflows.workflow_runs
    SET trigger_payload = jsonb_set(trigger_payload, '{event,data}', (trigger_payload #> '{event,data}') || ${nulls}::jsonb)
    WHERE organization_id = ${organizationId}::uuid AND trigger_payload #>> '{event,type}' = ${type}
      AND trigger_payload #>> ${[`event`, `data`, key]}::text[] = ${value}`);
}
