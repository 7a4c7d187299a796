import { recordAccessDenied } from '@token-nexus/prisma';
import { ForbiddenError, NotFoundError, UnauthenticatedError } from '@token-nexus/shared';
import type { WorkflowsContext } from './context.ts';

/**
 * Every authorization rule of the workflows subgraph, in one place: an organization's
 * members (any role) read its workflows; its OWNERs and ADMINs (and SYSTEM_ADMINs, and
 * its own programs, which act as its ADMIN, holding `workflows:write`) manage them. Another
 * organization's workflows do not exist for the caller: asked by id they are NOT_FOUND,
 * so an id reveals nothing. (API keys' scopes are checked on the fields.)
 */
export const policy = {
  requireViewer(ctx: WorkflowsContext): string {
    if (!ctx.viewerId) throw new UnauthenticatedError();
    return ctx.viewerId;
  },

  /** Whether the caller may see the organization's workflows at all. */
  async canRead(ctx: WorkflowsContext, organizationId: string): Promise<boolean> {
    policy.requireViewer(ctx);
    const access = await ctx.access();
    return access.isSystemAdmin || access.roles.has(organizationId);
  },

  /** For a list by organization: a non-member is refused (the organization is named, not found). */
  async assertCanRead(ctx: WorkflowsContext, organizationId: string): Promise<void> {
    if (await policy.canRead(ctx, organizationId)) return;
    throw new ForbiddenError("Only the organization's members can read its workflows.");
  },

  /** Whether the caller manages the organization's workflows (OWNER, ADMIN or a system admin), without refusing. */
  async canManage(ctx: WorkflowsContext, organizationId: string): Promise<boolean> {
    if (!ctx.viewerId) return false;
    const access = await ctx.access();
    const role = access.roles.get(organizationId);
    return access.isSystemAdmin || role === 'OWNER' || role === 'ADMIN';
  },

  /**
   * For a change: OWNER or ADMIN. A MEMBER or VIEWER is refused (and the refusal
   * recorded); a non-member is told the workflow does not exist when `byId`.
   */
  async assertCanManage(ctx: WorkflowsContext, organizationId: string, options: { byId: boolean }): Promise<void> {
    policy.requireViewer(ctx);
    const access = await ctx.access();
    const role = access.roles.get(organizationId);
    if (access.isSystemAdmin || role === 'OWNER' || role === 'ADMIN') return;
    if (!role && options.byId) throw new NotFoundError('The workflow does not exist.');
    await recordAccessDenied(ctx.prisma, ctx.audit, organizationId, `manage workflows as ${role ?? 'non-member'}`, ctx.logger);
    throw new ForbiddenError("Only the organization's OWNERs and ADMINs manage its workflows.");
  },
};
