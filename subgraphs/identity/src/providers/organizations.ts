import {
  auditedTransaction,
  isUniqueConstraintError,
  type Organization,
  type Prisma,
} from '@token-nexus/prisma';
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
    return await auditedTransaction(ctx.prisma, ctx.audit, async (tx, audit) => {
      const organization = await tx.organization.create({
        data: {
          name: input.name,
          slug: input.slug,
          parentId: input.parentId ?? null,
          settings: (input.settings ?? {}) as Prisma.InputJsonObject,
          memberships: { create: { userId: viewerId, role: 'OWNER' } },
        },
      });
      audit({
        organizationId: organization.id,
        action: 'organization.created',
        target: { type: 'organization', id: organization.id },
        changes: {
          after: {
            name: organization.name,
            slug: organization.slug,
            parentId: organization.parentId,
            settings: organization.settings,
            owner: viewerId,
          },
        },
      });
      return organization;
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
  const before = await requireOrganization(ctx, id);
  await policy.assertCanManage(ctx, id);
  if (input.name === null || input.settings === null || input.active === null) {
    throw new BadUserInputError('Omit a field to leave it unchanged; null is not a value here.');
  }
  const changed = {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.settings !== undefined ? { settings: input.settings as Prisma.InputJsonObject } : {}),
    ...(input.active !== undefined ? { active: input.active } : {}),
  };
  return auditedTransaction(ctx.prisma, ctx.audit, async (tx, audit) => {
    const after = await tx.organization.update({ where: { id }, data: changed });
    const fields = Object.keys(changed) as (keyof typeof changed)[];
    audit({
      organizationId: id,
      action: 'organization.updated',
      target: { type: 'organization', id },
      changes: {
        before: Object.fromEntries(fields.map((field) => [field, before[field]])),
        after: Object.fromEntries(fields.map((field) => [field, after[field]])),
      },
    });
    return after;
  });
}

/** The organization, or NOT_FOUND. */
export async function requireOrganization(ctx: IdentityContext, id: string): Promise<Organization> {
  const organization = await ctx.loaders.organizationById.load(id);
  if (!organization) throw new NotFoundError('The organization does not exist.');
  return organization;
}
