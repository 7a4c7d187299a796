import type { Logger, RateLimitHit } from '@token-nexus/shared';
import type { PrismaClient } from '../generated/client.ts';
import { auditContextFromClaims, recordAuditEventsNow, type AuditContext } from './record-audit.ts';

/** At most one entry per throttle key in this window (per process). */
const windowMs = 60_000;
const maxTracked = 10_000;
const lastRecorded = new Map<string, number>();

/**
 * Records a security event (WARNING) in its organization's trail, or the platform's.
 * Repeats with the same throttle key are folded into one entry a minute per process, so
 * an attacker hammering an endpoint cannot flood the trail; what the event is about (the
 * refusal) holds regardless. A failure to record is logged, never turned into an error
 * for the caller.
 */
export async function recordSecurityEvent(
  prisma: PrismaClient,
  context: AuditContext,
  event: { organizationId: string | null; action: string; throttleKey: string; details: Record<string, unknown> },
  logger: Logger,
): Promise<void> {
  const now = Date.now();
  if ((lastRecorded.get(event.throttleKey) ?? 0) > now - windowMs) return;
  if (lastRecorded.size >= maxTracked) lastRecorded.clear();
  lastRecorded.set(event.throttleKey, now);
  try {
    await recordAuditEventsNow(prisma, context, [
      {
        organizationId: event.organizationId,
        action: event.action,
        severity: 'WARNING',
        ...(event.organizationId ? { target: { type: 'organization', id: event.organizationId } } : {}),
        changes: { after: event.details },
      },
    ]);
  } catch (error) {
    logger.error({ err: error, action: event.action }, 'could not record a security event');
  }
}

/** A refused access attempt to an organization (`access.denied`). */
export function recordAccessDenied(
  prisma: PrismaClient,
  context: AuditContext,
  organizationId: string,
  reason: string,
  logger: Logger,
): Promise<void> {
  return recordSecurityEvent(
    prisma,
    context,
    {
      organizationId,
      action: 'access.denied',
      throttleKey: `denied|${context.actor.type}:${context.actor.id}|${organizationId}|${reason}`,
      details: { reason },
    },
    logger,
  );
}

/**
 * Records uses refused by a @rateLimit (`rate_limit.exceeded`), one entry a minute per
 * counter: an attack shows in the trail without flooding it. Counter values (emails, IPs)
 * are not copied; the entry's own client IP says where it came from.
 */
export function rateLimitRecorder(
  prisma: PrismaClient,
  logger: Logger,
  onRecorded: AuditContext['onRecorded'],
): (hit: RateLimitHit) => void {
  return (hit) => {
    void recordSecurityEvent(
      prisma,
      auditContextFromClaims(hit.claims, onRecorded),
      {
        organizationId: hit.organizationId,
        action: 'rate_limit.exceeded',
        throttleKey: `rate|${hit.key}`,
        details: { field: hit.field, limit: hit.limit, window: hit.window, by: hit.by },
      },
      logger,
    );
  };
}
