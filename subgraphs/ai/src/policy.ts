import { recordAccessDenied, type AIConversation } from '@token-nexus/prisma';
import { ForbiddenError, NotFoundError, UnauthenticatedError } from '@token-nexus/shared';
import type { AiContext } from './context.ts';

/**
 * Every authorization rule of the ai subgraph, in one place.
 *
 * - A conversation is its user's alone: anyone else (a SYSTEM_ADMIN included) gets
 *   NOT_FOUND, so its existence is not revealed either.
 * - Any member of an organization may start conversations in it (while still a member).
 * - OWNER and ADMIN read and change the organization's settings and see its usage.
 */
export const policy = {
  requireViewer(ctx: AiContext): string {
    if (!ctx.viewerId) throw new UnauthenticatedError();
    return ctx.viewerId;
  },

  async assertMember(ctx: AiContext, organizationId: string): Promise<void> {
    policy.requireViewer(ctx);
    const access = await ctx.access();
    if (access.roles.has(organizationId)) return;
    await recordAccessDenied(ctx.prisma, ctx.audit, organizationId, 'use the assistant: not a member', ctx.logger);
    throw new ForbiddenError('You are not a member of this organization.');
  },

  async assertCanManage(ctx: AiContext, organizationId: string): Promise<void> {
    policy.requireViewer(ctx);
    const access = await ctx.access();
    const role = access.roles.get(organizationId);
    if (access.isSystemAdmin || role === 'OWNER' || role === 'ADMIN') return;
    await recordAccessDenied(ctx.prisma, ctx.audit, organizationId, `manage the assistant as ${role ?? 'non-member'}`, ctx.logger);
    throw new ForbiddenError("Only the organization's OWNERs and ADMINs manage the assistant and see its usage.");
  },

  /** The viewer's own conversation, or NOT_FOUND (never FORBIDDEN: others' conversations do not exist for you). */
  async ownConversation(ctx: AiContext, id: string): Promise<AIConversation> {
    const viewerId = policy.requireViewer(ctx);
    const conversation = await ctx.prisma.aIConversation.findUnique({ where: { id } });
    if (!conversation || conversation.userId !== viewerId) throw new NotFoundError('The conversation does not exist.');
    return conversation;
  },
};
