import type { BurstCounter, Logger, RateLimitHit } from '@token-nexus/shared';
import type { PrismaClient } from '../generated/client.ts';
import { auditContextFromClaims, recordAuditEventsNow, type AuditContext } from './record-audit.ts';
import { actorSubject, countSecuritySignal, type SecuritySignal } from './security-bursts.ts';

/** At most one entry per throttle key in this window (per process). */
const windowMs = 60_000;
const maxTracked = 10_000;
const lastRecorded = new Map<string, number>();
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Records a security event (WARNING) in its organization's trail, or the platform's.
 * Repeats with the same throttle key are folded into one entry a minute per process, so
 * an attacker hammering an endpoint cannot flood the trail; what the event is about (the
 * refusal) holds regardless. Every event, recorded or folded, counts towards its `burst`
 * when it has one (see countSecuritySignal). A failure to record is logged, never turned
 * into an error for the caller.
 */
export async function recordSecurityEvent(
  prisma: PrismaClient,
  context: AuditContext,
  event: {
    organizationId: string | null;
    action: string;
    throttleKey: string;
    details: Record<string, unknown>;
    burst?: SecuritySignal;
  },
  logger: Logger,
): Promise<void> {
  if (event.burst) await countSecuritySignal(prisma, context, event.burst, logger);
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

/** A refused access attempt to an organization (`access.denied`), counted towards PERMISSION_DENIED bursts. */
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
      burst: actorBurst('PERMISSION_DENIED', context, organizationId),
    },
    logger,
  );
}

/**
 * Records uses refused by a @rateLimit (`rate_limit.exceeded`), one entry a minute per
 * counter: an attack shows in the trail without flooding it. Counter values (emails, IPs)
 * are not copied; the entry's own client IP says where it came from. Every refusal counts
 * towards the actor's RATE_LIMITED burst.
 */
export function rateLimitRecorder(
  prisma: PrismaClient,
  logger: Logger,
  onRecorded: AuditContext['onRecorded'],
  bursts: BurstCounter,
): (hit: RateLimitHit) => void {
  return (hit) => {
    // The organization comes from the caller's arguments, unchecked: only an id can name one.
    const organizationId = hit.organizationId && uuidPattern.test(hit.organizationId) ? hit.organizationId : null;
    const context = auditContextFromClaims(hit.claims, onRecorded, bursts);
    void recordSecurityEvent(
      prisma,
      context,
      {
        organizationId,
        action: 'rate_limit.exceeded',
        throttleKey: `rate|${hit.key}`,
        details: { field: hit.field, limit: hit.limit, window: hit.window, by: hit.by },
        burst: actorBurst('RATE_LIMITED', context, organizationId),
      },
      logger,
    );
  };
}

/** A burst of one actor's events in one organization (or outside any). */
function actorBurst(burst: 'PERMISSION_DENIED' | 'RATE_LIMITED', context: AuditContext, organizationId: string | null): SecuritySignal {
  const actor = { actorType: context.actor.type, actorId: context.actor.id };
  return {
    burst,
    subject: actorSubject(context, organizationId),
    organizationId,
    details: actor,
    webhookData: actor,
  };
}
