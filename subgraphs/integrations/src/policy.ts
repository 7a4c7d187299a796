import { recordAccessDenied } from '@token-nexus/prisma';
import { ForbiddenError, UnauthenticatedError } from '@token-nexus/shared';
import type { IntegrationsContext } from './context.ts';

/**
 * Every authorization rule of the integrations subgraph, in one place: an organization's
 * OWNERs and ADMINs (and SYSTEM_ADMINs) manage and read its webhook endpoints and their
 * deliveries, its API keys and its OAuth apps; nobody else sees them. Any signed-in user
 * may consent to an app for themself. (Keys and apps are closed to keys and apps: their
 * fields declare no scope.)
 */
export const policy = {
  requireViewer(ctx: IntegrationsContext): string {
    if (!ctx.viewerId) throw new UnauthenticatedError();
    return ctx.viewerId;
  },

  async assertCanManage(ctx: IntegrationsContext, organizationId: string, what = 'webhooks'): Promise<void> {
    policy.requireViewer(ctx);
    const access = await ctx.access();
    const role = access.roles.get(organizationId);
    if (access.isSystemAdmin || role === 'OWNER' || role === 'ADMIN') return;
    await recordAccessDenied(ctx.prisma, ctx.audit, organizationId, `manage ${what} as ${role ?? 'non-member'}`, ctx.logger);
    throw new ForbiddenError(`Only the organization's OWNERs and ADMINs manage its ${what}.`);
  },
};
