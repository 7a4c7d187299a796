import type { Role } from '@token-nexus/prisma';
import { ForbiddenError, UnauthenticatedError } from '@token-nexus/shared';
import type { IdentityContext } from './context.ts';
import { recordAccessDenied } from '@token-nexus/prisma';

/**
 * Every authorization rule of the identity subgraph, in one place. Resolvers (entry
 * points and `__resolveReference` alike) ask here; nothing else decides who may do what.
 *
 * - Anyone may sign up and sign in.
 * - Only members of an organization (any role) see it, its members and its children;
 *   a SYSTEM_ADMIN sees every organization.
 * - OWNER and ADMIN manage members and settings; only an OWNER grants, changes or removes
 *   the OWNER role. A member may always leave. SYSTEM_ADMIN may do all of it.
 * - A user is seen by themself, by anyone sharing an organization, and by SYSTEM_ADMIN.
 * - A client (API key, OAuth app with the client-credentials grant) sees its own
 *   organization and its members, as far as its scopes reach (checked per field before
 *   any of this), and nothing else; it manages nothing here.
 *
 * Every refusal concerning an organization is recorded in its audit trail (throttled).
 */
export const policy = {
  /** The signed-in user's id, or UNAUTHENTICATED. */
  requireViewer(ctx: IdentityContext): string {
    if (!ctx.viewerId) throw new UnauthenticatedError();
    return ctx.viewerId;
  },

  /** The signed-in user's id, a client's organization, or UNAUTHENTICATED. */
  requireCaller(ctx: IdentityContext): void {
    if (!ctx.viewerId && !clientOrganization(ctx)) throw new UnauthenticatedError();
  },

  async isSystemAdmin(ctx: IdentityContext): Promise<boolean> {
    if (!ctx.viewerId) return false;
    const viewer = await ctx.loaders.userById.load(ctx.viewerId);
    return viewer?.isSystemAdmin ?? false;
  },

  /** The caller's role in the organization; a client counts as ADMIN of its own. */
  async viewerRole(ctx: IdentityContext, organizationId: string): Promise<Role | null> {
    const clientOf = clientOrganization(ctx);
    if (clientOf) return clientOf === organizationId ? 'ADMIN' : null;
    return ctx.loaders.viewerRoleByOrganizationId.load(organizationId);
  },

  async canViewOrganization(ctx: IdentityContext, organizationId: string): Promise<boolean> {
    const clientOf = clientOrganization(ctx);
    if (clientOf) return clientOf === organizationId;
    if (!ctx.viewerId) return false;
    const [role, admin] = await Promise.all([
      policy.viewerRole(ctx, organizationId),
      policy.isSystemAdmin(ctx),
    ]);
    return role !== null || admin;
  },

  async assertCanViewOrganization(ctx: IdentityContext, organizationId: string): Promise<void> {
    policy.requireCaller(ctx);
    if (!(await policy.canViewOrganization(ctx, organizationId))) {
      throw await deny(ctx, organizationId, 'not a member', 'You are not a member of this organization.');
    }
  },

  /**
   * Managing an organization: its settings, its members, its child organizations.
   * `touchesOwner` is true when the change grants, changes or removes an OWNER role.
   */
  async assertCanManage(
    ctx: IdentityContext,
    organizationId: string,
    { touchesOwner = false }: { touchesOwner?: boolean } = {},
  ): Promise<void> {
    policy.requireViewer(ctx);
    const [role, admin] = await Promise.all([
      policy.viewerRole(ctx, organizationId),
      policy.isSystemAdmin(ctx),
    ]);
    if (admin) return;
    if (role === null) {
      throw await deny(ctx, organizationId, 'not a member', 'You are not a member of this organization.');
    }
    if (role !== 'OWNER' && role !== 'ADMIN') {
      throw await deny(ctx, organizationId, `manage as ${role}`, 'Only an OWNER or ADMIN can manage this organization.');
    }
    if (touchesOwner && role !== 'OWNER') {
      throw await deny(ctx, organizationId, 'touch OWNER as ADMIN', 'Only an OWNER can grant, change or remove the OWNER role.');
    }
  },

  async canViewUser(ctx: IdentityContext, userId: string): Promise<boolean> {
    const clientOf = clientOrganization(ctx);
    if (clientOf) {
      const membership = await ctx.prisma.membership.findUnique({
        where: { organizationId_userId: { organizationId: clientOf, userId } },
        select: { userId: true },
      });
      return membership !== null;
    }
    if (!ctx.viewerId) return false;
    if (userId === ctx.viewerId) return true;
    const [shares, admin] = await Promise.all([
      ctx.loaders.sharesOrganizationWithViewer.load(userId),
      policy.isSystemAdmin(ctx),
    ]);
    return shares || admin;
  },
};

/** The organization a client caller acts for; null for users and anonymous callers. */
function clientOrganization(ctx: IdentityContext): string | null {
  return ctx.claims.actor.type === 'client' ? ctx.claims.actor.organizationId : null;
}

async function deny(
  ctx: IdentityContext,
  organizationId: string,
  reason: string,
  message: string,
): Promise<ForbiddenError> {
  await recordAccessDenied(ctx.prisma, ctx.audit, organizationId, reason, ctx.logger);
  return new ForbiddenError(message);
}
