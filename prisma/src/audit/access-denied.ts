import type { Logger } from '@token-nexus/shared';
import type { PrismaClient } from '../generated/client.ts';
import { recordAuditEventsNow, type AuditContext } from './record-audit.ts';

/** At most one `access.denied` entry per actor, organization and reason in this window. */
const windowMs = 60_000;
const maxTracked = 10_000;
const lastRecorded = new Map<string, number>();

/**
 * Records a refused access attempt as a WARNING security event in the organization's
 * trail. Repeats by the same actor are folded into one entry a minute (per process), so
 * a caller hammering an endpoint cannot flood the trail; the refusal itself always holds.
 * A failure to record is logged, never turned into an error for the caller.
 */
export async function recordAccessDenied(
  prisma: PrismaClient,
  context: AuditContext,
  organizationId: string,
  reason: string,
  logger: Logger,
): Promise<void> {
  const key = `${context.actor.type}:${context.actor.id}|${organizationId}|${reason}`;
  const now = Date.now();
  if ((lastRecorded.get(key) ?? 0) > now - windowMs) return;
  if (lastRecorded.size >= maxTracked) lastRecorded.clear();
  lastRecorded.set(key, now);
  try {
    await recordAuditEventsNow(prisma, context, [
      {
        organizationId,
        action: 'access.denied',
        severity: 'WARNING',
        target: { type: 'organization', id: organizationId },
        changes: { after: { reason } },
      },
    ]);
  } catch (error) {
    logger.error({ err: error, organizationId }, 'could not record a denied access attempt');
  }
}
