import { isUniqueConstraintError, type Organization, type Prisma } from '@token-nexus/prisma';
import { BadUserInputError, ConflictError, NotFoundError, parseInput } from '@token-nexus/shared';
import type { IdentityContext } from '../context.ts';
import { policy } from '../policy.ts';
import { createOrganizationInput, updateOrganizationInput, uuid } from '../validation/inputs.ts';

/** Creates an organization with the viewer as its OWNER, in one statement. */
export async function createOrganization(
  ctx: IdentityContext,
  rawInput: unknown,
): Promise<Organization> {
  const viewerId = policy.requireViewer(ctx);
  const input = parseInput(createOrganizationInput, rawInput, 'input');
  if (input.parentId) {
    const parent = await ctx.loaders.organizationById.load(input.parentId);
    if (!parent) throw new NotFoundError('The parent organization does not exist.');
    await policy.assertCanManage(ctx, parent.id);
  }
  try {
    return await ctx.prisma.organization.create({
      data: {
        name: input.name,
        slug: input.slug,
        parentId: input.parentId ?? null,
        settings: (input.settings ?? {}) as Prisma.InputJsonObject,
        memberships: { create: { userId: viewerId, role: 'OWNER' } },
      },
    });
  } catch (error) {
    if (isUniqueConstraintError(error)) {
      throw new ConflictError(`The slug "${input.slug}" is already taken.`, { field: 'input.slug' });
    }
    throw error;
  }
}

export async function updateOrganization(
  ctx: IdentityContext,
  rawId: unknown,
  rawInput: unknown,
): Promise<Organization> {
  const id = parseInput(uuid, rawId, 'id');
  const input = parseInput(updateOrganizationInput, rawInput, 'input');
  await requireOrganization(ctx, id);
  await policy.assertCanManage(ctx, id);
  if (input.name === null || input.settings === null || input.active === null) {
    throw new BadUserInputError('Omit a field to leave it unchanged; null is not a value here.');
  }
  return ctx.prisma.organization.update({
    where: { id },
    data: {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.settings !== undefined ? { settings: input.settings as Prisma.InputJsonObject } : {}),
      ...(input.active !== undefined ? { active: input.active } : {}),
    },
  });
}

/** The organization, or NOT_FOUND. */
export async function requireOrganization(ctx: IdentityContext, id: string): Promise<Organization> {
  const organization = await ctx.loaders.organizationById.load(id);
  if (!organization) throw new NotFoundError('The organization does not exist.');
  return organization;
}
