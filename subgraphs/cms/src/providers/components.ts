import { isDeepStrictEqual } from 'node:util';
import { auditedTransaction, isUniqueConstraintError, type Component, type Prisma } from '@token-nexus/prisma';
import {
  BadUserInputError,
  ConflictError,
  NotFoundError,
  encodeCursor,
  parseInput,
  parsePageRequest,
  toConnection,
} from '@token-nexus/shared';
import type { CmsContext } from '../context.ts';
import type { ComponentConnectionModel } from '../models.ts';
import { policy } from '../policy.ts';
import { createComponentInput, updateComponentInput, uuid } from '../validation/inputs.ts';
import { assertValidPropsSchema } from '../validation/props-schema.ts';

/** One page of an organization's components, by name. */
export async function listComponents(
  ctx: CmsContext,
  args: { orgId: unknown; first?: number | null; after?: string | null },
): Promise<ComponentConnectionModel> {
  const organizationId = parseInput(uuid, args.orgId, 'orgId');
  await policy.assertCanRead(ctx, organizationId);
  const page = parsePageRequest(args, ([name]) => (typeof name === 'string' ? name : null));
  const rows = await ctx.prisma.component.findMany({
    where: { organizationId, ...(page.after !== null ? { name: { gt: page.after } } : {}) },
    orderBy: { name: 'asc' },
    take: page.limit + 1,
  });
  return toConnection(rows, page, (component) => encodeCursor([component.name]));
}

/** Adds a component; its props schema must be a JSON Schema that compiles (see props-schema.ts). */
export async function createComponent(ctx: CmsContext, rawInput: unknown): Promise<Component> {
  policy.requireViewer(ctx);
  const input = parseInput(createComponentInput, rawInput, 'input');
  await policy.assertCanManageLibrary(ctx, input.orgId);
  const propsSchema = assertValidPropsSchema(input.propsSchema, 'input.propsSchema');
  try {
    return await auditedTransaction(ctx.prisma, ctx.audit, async (tx, audit) => {
      const component = await tx.component.create({
        data: {
          organizationId: input.orgId,
          name: input.name,
          description: input.description ?? '',
          propsSchema: propsSchema as Prisma.InputJsonObject,
        },
      });
      audit({
        organizationId: component.organizationId,
        action: 'component.created',
        target: { type: 'component', id: component.id },
        changes: { after: { name: component.name, version: component.version } },
      });
      return component;
    });
  } catch (error) {
    if (isUniqueConstraintError(error)) {
      throw new ConflictError(`There is already a component named "${input.name}" in this organization.`, {
        field: 'input.name',
      });
    }
    throw error;
  }
}

/**
 * Changes a component's description or props schema. A different schema adds one to the
 * component's version, which is what retires its compiled validator everywhere.
 */
export async function updateComponent(
  ctx: CmsContext,
  args: { id: unknown; input: unknown },
): Promise<Component> {
  const id = parseInput(uuid, args.id, 'id');
  if (args.input && typeof args.input === 'object' && Object.values(args.input).some((value) => value === null)) {
    throw new BadUserInputError('Omit a field to leave it unchanged; null is not a value here.', { field: 'input' });
  }
  const input = parseInput(updateComponentInput, args.input, 'input');
  const before = await ctx.loaders.componentById.load(id);
  if (!before) throw new NotFoundError('The component does not exist.');
  await policy.assertCanManageLibrary(ctx, before.organizationId);
  const propsSchema =
    input.propsSchema !== undefined ? assertValidPropsSchema(input.propsSchema, 'input.propsSchema') : undefined;
  const fields: string[] = [];
  const data: Prisma.ComponentUpdateInput = {};
  if (input.description !== undefined && input.description !== before.description) {
    fields.push('description');
    data.description = input.description;
  }
  if (propsSchema !== undefined && !isDeepStrictEqual(propsSchema, before.propsSchema)) {
    fields.push('propsSchema');
    data.propsSchema = propsSchema as Prisma.InputJsonObject;
    data.version = { increment: 1 };
  }
  return auditedTransaction(ctx.prisma, ctx.audit, async (tx, audit) => {
    const after = await tx.component.update({ where: { id }, data });
    audit({
      organizationId: after.organizationId,
      action: 'component.updated',
      target: { type: 'component', id },
      changes: { before: { version: before.version }, after: { version: after.version, fields } },
    });
    return after;
  });
}
