import { countSecuritySignal, recordAuditEventsNow } from '@token-nexus/prisma';
import type { IdentityContext } from '../context.ts';

/**
 * Records a failed sign-in (`user.login_failed`, WARNING: every one, unthrottled) and
 * counts it towards the FAILED_LOGIN burst of the email tried, whether an account has it
 * or not. An alert on an existing account is also sent to its organizations' webhooks.
 */
export async function recordFailedLogin(
  ctx: IdentityContext,
  email: string,
  user: { id: string } | null,
): Promise<void> {
  await recordAuditEventsNow(ctx.prisma, ctx.audit, [
    {
      organizationId: null,
      action: 'user.login_failed',
      severity: 'WARNING',
      target: user ? { type: 'user', id: user.id } : null,
      changes: { after: { email } },
    },
  ]);
  await countSecuritySignal(
    ctx.prisma,
    ctx.audit,
    {
      burst: 'FAILED_LOGIN',
      subject: email,
      organizationId: null,
      target: user ? { type: 'user', id: user.id } : null,
      details: { email, userId: user?.id ?? null },
      webhookData: { userId: user?.id ?? null },
      ...(user ? { alsoNotify: () => organizationsOf(ctx, user.id) } : {}),
    },
    ctx.logger,
  );
}

async function organizationsOf(ctx: IdentityContext, userId: string): Promise<string[]> {
  const memberships = await ctx.prisma.membership.findMany({ where: { userId }, select: { organizationId: true } });
  return memberships.map((membership) => membership.organizationId);
}
