import { createHash } from 'node:crypto';
import type { Logger } from '@token-nexus/shared';
import type { PrismaClient } from '../generated/client.ts';
import type { AuditContext } from './record-audit.ts';
import { raiseSecurityAlert } from './security-alerts.ts';

const fiveMinutes = 5 * 60_000;

/**
 * What counts as a burst: `threshold` occurrences of one key within `windowMs` (a sliding
 * window). Reaching it raises one `security.alert` (see raiseSecurityAlert), then no other
 * for that key until a window has passed.
 *
 * - FAILED_LOGIN, 20 in 5 minutes on one account (the email signed in with, known or not).
 *   `logIn` allows 10 tries per 5 minutes per IP and email, so this many on one account
 *   means several addresses at once: a distributed guessing attack.
 * - PERMISSION_DENIED, 20 in 5 minutes by one actor (a user, an API key; an anonymous
 *   caller by its IP) in one organization: someone probing what they may do. A person who
 *   meets a refusal in the dashboard stops long before.
 * - RATE_LIMITED, 100 in 5 minutes by one actor in one organization (or outside any): a
 *   client that ignores `Retry-After` and keeps hammering, not one that backs off.
 */
export const securityBursts = {
  FAILED_LOGIN: { threshold: 20, windowMs: fiveMinutes },
  PERMISSION_DENIED: { threshold: 20, windowMs: fiveMinutes },
  RATE_LIMITED: { threshold: 100, windowMs: fiveMinutes },
} as const;

export type SecurityBurstKind = keyof typeof securityBursts;

/** One security event, counted towards its burst. */
export interface SecuritySignal {
  burst: SecurityBurstKind;
  /** Whose occurrences are counted together (an email, `USER:<id>|<org>`…); hashed before use. */
  subject: string;
  /** The trail the alert goes to, and the first organization told; null: the platform's trail. */
  organizationId: string | null;
  /** What the alert is about (the account signed in to), when there is such a thing. */
  target?: { type: string; id: string } | null;
  /** What the alert's entry records about the burst, besides its numbers. */
  details: Record<string, string | null>;
  /** What the `security.alert` webhook event says about it: ids only, never an email. */
  webhookData: Record<string, string | null>;
  /** Other organizations to tell (an account's organizations), asked only when an alert is raised. */
  alsoNotify?: () => Promise<string[]>;
}

/**
 * Counts one security event towards its burst and raises the alert when the burst is
 * reached. Counts are kept by the context's BurstCounter (Redis, so every instance counts
 * together), not in the audit trail, whose security entries are throttled. Never fails
 * the caller: a counting or recording failure is logged. An alert is raised at most once
 * per window: one that fails to be recorded is logged, not tried again.
 */
export async function countSecuritySignal(
  prisma: PrismaClient,
  context: AuditContext,
  signal: SecuritySignal,
  logger: Logger,
): Promise<void> {
  if (!context.bursts) return;
  const { threshold, windowMs } = securityBursts[signal.burst];
  try {
    const observation = await context.bursts.observe(burstKey(signal), threshold, windowMs);
    if (!observation.alert) return;
    await raiseSecurityAlert(prisma, context, {
      burst: signal.burst,
      organizationId: signal.organizationId,
      target: signal.target ?? null,
      numbers: { count: observation.count, threshold, windowSeconds: windowMs / 1000 },
      details: signal.details,
      webhookData: signal.webhookData,
      notify: [...(signal.organizationId ? [signal.organizationId] : []), ...((await signal.alsoNotify?.()) ?? [])],
    });
    logger.warn({ burst: signal.burst, organizationId: signal.organizationId }, 'security alert raised');
  } catch (error) {
    logger.error({ err: error, burst: signal.burst }, 'could not count a security event towards its burst');
  }
}

/** Counter keys never hold an email or an IP in clear. */
function burstKey(signal: SecuritySignal): string {
  const digest = createHash('sha256').update(signal.subject).digest('base64url').slice(0, 32);
  return `${signal.burst}:${digest}`;
}

/** The subject of an actor's events in one organization (an anonymous caller by its IP). */
export function actorSubject(context: AuditContext, organizationId: string | null): string {
  const who = context.actor.id ?? `ip:${context.clientIp ?? 'unknown'}`;
  return `${context.actor.type}:${who}|${organizationId ?? 'none'}`;
}
