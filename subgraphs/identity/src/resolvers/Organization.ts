import { parsePageRequest, toConnection, encodeCursor } from '@token-nexus/shared';
import type { OrganizationResolvers } from '../__generated__/resolvers-types.ts';
import type { MemberCursor } from '../loaders.ts';
import { policy } from '../policy.ts';
import { uuid } from '../validation/inputs.ts';

export const Organization: OrganizationResolvers = {
  /** Another subgraph points at an organization: the same rule as the `organization` query. */
  __resolveReference: async (reference, ctx) => {
    if (!uuid.safeParse(reference.id).success) return null;
    const organization = await ctx.loaders.organizationById.load(reference.id);
    if (!organization) return null;
    await policy.assertCanViewOrganization(ctx, organization.id);
    return organization;
  },

  parent: async (organization, _args, ctx) => {
    if (!organization.parentId) return null;
    const visible = await policy.canViewOrganization(ctx, organization.parentId);
    return visible ? ctx.loaders.organizationById.load(organization.parentId) : null;
  },

  children: async (organization, _args, ctx) => {
    const children = await ctx.loaders.childrenByParentId.load(organization.id);
    const visible = await Promise.all(
      children.map((child) => policy.canViewOrganization(ctx, child.id)),
    );
    return children.filter((_child, index) => visible[index]);
  },

  viewerRole: (organization, _args, ctx) => policy.viewerRole(ctx, organization.id),

  members: async (organization, args, ctx) => {
    await policy.assertCanViewOrganization(ctx, organization.id);
    const page = parsePageRequest<MemberCursor>(args, decodeMemberCursor);
    const rows = await ctx.loaders.membersPage.load({
      organizationId: organization.id,
      take: page.limit + 1,
      after: page.after,
    });
    return {
      ...toConnection(rows, page, (membership) =>
        encodeCursor([membership.createdAt.toISOString(), membership.userId]),
      ),
      organizationId: organization.id,
    };
  },
};

function decodeMemberCursor(values: unknown[]): MemberCursor | null {
  const [createdAt, userId] = values;
  if (typeof createdAt !== 'string' || typeof userId !== 'string') return null;
  const date = new Date(createdAt);
  if (Number.isNaN(date.getTime()) || !uuid.safeParse(userId).success) return null;
  return { createdAt: date, userId };
}
