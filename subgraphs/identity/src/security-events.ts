import { recordAuditEventsNow } from '@token-nexus/prisma';
import type { IdentityContext } from './context.ts';

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
  ctx: IdentityContext,
  organizationId: string,
  reason: string,
): Promise<void> {
  const key = `${ctx.viewerId}|${organizationId}|${reason}`;
  const now = Date.now();
  if ((lastRecorded.get(key) ?? 0) > now - windowMs) return;
  if (lastRecorded.size >= maxTracked) lastRecorded.clear();
  lastRecorded.set(key, now);
  try {
    await recordAuditEventsNow(ctx.prisma, ctx.audit, [
      {
        organizationId,
        action: 'access.denied',
        severity: 'WARNING',
        target: { type: 'organization', id: organizationId },
        changes: { after: { reason } },
      },
    ]);
  } catch (error) {
    ctx.logger.error({ err: error, organizationId }, 'could not record a denied access attempt');
  }
}
