import { recordAccessDenied } from '@token-nexus/prisma';
import { ForbiddenError, NotFoundError, UnauthenticatedError } from '@token-nexus/shared';
import type { MediaContext } from './context.ts';

/**
 * Every authorization rule of the media subgraph, in one place: an organization's members
 * (any role) see its media; members but VIEWERs upload; an asset's uploader and the
 * organization's OWNERs and ADMINs change and delete it. Another organization's assets do
 * not exist for the caller (NOT_FOUND by id), `_entities` included, except through a
 * published page (the cms subgraph's grant; see media-public-grant.ts).
 */
export const policy = {
  requireViewer(ctx: MediaContext): string {
    if (!ctx.viewerId) throw new UnauthenticatedError();
    return ctx.viewerId;
  },

  async canRead(ctx: MediaContext, organizationId: string): Promise<boolean> {
    if (!ctx.viewerId) return false;
    const access = await ctx.access();
    return access.isSystemAdmin || access.roles.has(organizationId);
  },

  async assertCanRead(ctx: MediaContext, organizationId: string): Promise<void> {
    policy.requireViewer(ctx);
    if (await policy.canRead(ctx, organizationId)) return;
    throw new ForbiddenError("Only the organization's members can see its media.");
  },

  async assertCanUpload(ctx: MediaContext, organizationId: string): Promise<void> {
    policy.requireViewer(ctx);
    const access = await ctx.access();
    const role = access.roles.get(organizationId);
    if (access.isSystemAdmin || (role && role !== 'VIEWER')) return;
    await recordAccessDenied(ctx.prisma, ctx.audit, organizationId, `upload media as ${role ?? 'non-member'}`, ctx.logger);
    throw new ForbiddenError(role ? 'VIEWERs cannot upload media.' : "Only the organization's members can upload media.");
  },

  /** For a change of one asset: its uploader, or an OWNER or ADMIN; a non-member is told it does not exist. */
  async assertCanChange(ctx: MediaContext, asset: { organizationId: string; createdById: string }): Promise<void> {
    const viewerId = policy.requireViewer(ctx);
    const access = await ctx.access();
    const role = access.roles.get(asset.organizationId);
    if (access.isSystemAdmin || role === 'OWNER' || role === 'ADMIN') return;
    if (!role) throw new NotFoundError('The media asset does not exist.');
    if (role !== 'VIEWER' && asset.createdById === viewerId) return;
    await recordAccessDenied(ctx.prisma, ctx.audit, asset.organizationId, `change another member's media as ${role}`, ctx.logger);
    throw new ForbiddenError("Only an asset's uploader and the organization's OWNERs and ADMINs change it.");
  },
};
