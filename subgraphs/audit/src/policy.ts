import { recordAccessDenied } from '@token-nexus/prisma';
import { BadUserInputError, ForbiddenError, UnauthenticatedError, type ViewerAccess } from '@token-nexus/shared';
import type { AuditSubgraphContext } from './context.ts';

/**
 * Every authorization rule of the audit subgraph, in one place: an organization's trail
 * (entries, reports, verification, exports, security events) is read by its OWNERs and
 * ADMINs and by system administrators, nobody else; every chain's security events at
 * once, by system administrators only. Roles come from identity, per request. A refusal
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

  /**
   * Security events of one organization (null: of every organization and the platform).
   * Without an organization only a system administrator has anything to read, so for
   * anyone else the organization is a missing argument (BAD_USER_INPUT), not a refusal.
   */
  async assertCanReadSecurityEvents(ctx: AuditSubgraphContext, organizationId: string | null): Promise<void> {
    if (!ctx.viewerId) throw new UnauthenticatedError();
    const access = await ctx.access();
    if (organizationId === null) {
      if (access.isSystemAdmin) return;
      throw new BadUserInputError("orgId is required: only system administrators read every organization's events.", {
        field: 'orgId',
      });
    }
    if (policy.canReadTrail(access, organizationId)) return;
    await recordAccessDenied(ctx.prisma, ctx.audit, organizationId, 'read security events', ctx.logger);
    throw new ForbiddenError("Only the organization's OWNERs and ADMINs can read its security events.");
  },
};
