import { recordAccessDenied } from '@token-nexus/prisma';
import { ForbiddenError, UnauthenticatedError, type ViewerAccess } from '@token-nexus/shared';
import type { TokensContext } from './context.ts';

/**
 * Every authorization rule of the tokens subgraph, in one place. Roles come from
 * identity, once per request (`ctx.access`).
 *
 * - Members of an organization (any role) read its tokens, balances and transactions.
 * - Only OWNER and ADMIN create, deploy, mint, transfer, burn, pause, resume and retire.
 * - SYSTEM_ADMINs manage chains (and may do everything); everyone signed in sees enabled chains.
 *
 * Every refusal concerning an organization is recorded in its audit trail (throttled).
 */
export const policy = {
  requireViewer(ctx: TokensContext): string {
    if (!ctx.viewerId) throw new UnauthenticatedError();
    return ctx.viewerId;
  },

  canRead(access: ViewerAccess, organizationId: string): boolean {
    return access.isSystemAdmin || access.roles.has(organizationId);
  },

  async assertCanRead(ctx: TokensContext, organizationId: string): Promise<void> {
    policy.requireViewer(ctx);
    if (policy.canRead(await ctx.access(), organizationId)) return;
    throw await deny(ctx, organizationId, 'not a member', 'You are not a member of this organization.');
  },

  async assertCanManage(ctx: TokensContext, organizationId: string, action: string): Promise<void> {
    policy.requireViewer(ctx);
    const access = await ctx.access();
    if (access.isSystemAdmin) return;
    const role = access.roles.get(organizationId) ?? null;
    if (role === null) throw await deny(ctx, organizationId, 'not a member', 'You are not a member of this organization.');
    if (role !== 'OWNER' && role !== 'ADMIN') {
      throw await deny(ctx, organizationId, `${action} as ${role}`, 'Only OWNERs and ADMINs can create, deploy or operate tokens.');
    }
  },

  async isSystemAdmin(ctx: TokensContext): Promise<boolean> {
    return ctx.viewerId !== null && (await ctx.access()).isSystemAdmin;
  },

  async assertSystemAdmin(ctx: TokensContext): Promise<void> {
    policy.requireViewer(ctx);
    if (!(await ctx.access()).isSystemAdmin) throw new ForbiddenError('Only SYSTEM_ADMINs manage chains.');
  },
};

async function deny(ctx: TokensContext, organizationId: string, reason: string, message: string): Promise<ForbiddenError> {
  await recordAccessDenied(ctx.prisma, ctx.audit, organizationId, reason, ctx.logger);
  return new ForbiddenError(message);
}
