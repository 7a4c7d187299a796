import { recordAccessDenied } from '@token-nexus/prisma';
import { ForbiddenError, UnauthenticatedError, type ViewerAccess } from '@token-nexus/shared';
import type { AuditSubgraphContext } from './context.ts';

/**
 * Every authorization rule of the audit subgraph, in one place: an organization's trail
 * (entries, reports, verification, exports) is read by its OWNERs and ADMINs and by
 * system administrators, nobody else. Roles come from identity, per request. A refusal
 * is itself recorded in the organization's trail (throttled).
 */
export const policy = {
  canReadTrail(access: ViewerAccess, organizationId: string): boolean {
    const role = access.roles.get(organizationId);
    return access.isSystemAdmin || role === 'OWNER' || role === 'ADMIN';
  },

  async assertCanReadTrail(ctx: AuditSubgraphContext, organizationId: string): Promise<void> {
    if (!ctx.viewerId) throw new UnauthenticatedError();
    if (policy.canReadTrail(await ctx.access(), organizationId)) return;
    await recordAccessDenied(ctx.prisma, ctx.audit, organizationId, 'read audit trail', ctx.logger);
    throw new ForbiddenError("Only the organization's OWNERs and ADMINs can read its audit trail.");
  },
};
