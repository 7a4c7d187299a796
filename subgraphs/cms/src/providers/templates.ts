import { auditedTransaction, type Prisma, type Template } from '@token-nexus/prisma';
import { encodeCursor, parseInput, parsePageRequest, toConnection } from '@token-nexus/shared';
import type { CmsContext } from '../context.ts';
import type { TemplateConnectionModel } from '../models.ts';
import { policy } from '../policy.ts';
import { createTemplateInput, uuid } from '../validation/inputs.ts';
import { checkDocument } from './document-check.ts';

interface TemplateCursor {
  name: string;
  id: string;
}

/** One page of an organization's templates, by name (names may repeat; ids break ties). */
export async function listTemplates(
  ctx: CmsContext,
  args: { orgId: unknown; first?: number | null; after?: string | null },
): Promise<TemplateConnectionModel> {
  const organizationId = parseInput(uuid, args.orgId, 'orgId');
  await policy.assertCanRead(ctx, organizationId);
  const page = parsePageRequest<TemplateCursor>(args, ([name, id]) =>
    typeof name === 'string' && uuid.safeParse(id).success ? { name, id: id as string } : null,
  );
  const rows = await ctx.prisma.template.findMany({
    where: {
      organizationId,
      ...(page.after
        ? { OR: [{ name: { gt: page.after.name } }, { name: page.after.name, id: { gt: page.after.id } }] }
        : {}),
    },
    orderBy: [{ name: 'asc' }, { id: 'asc' }],
    take: page.limit + 1,
  });
  return toConnection(rows, page, (template) => encodeCursor([template.name, template.id]));
}

/** Adds a template; its document is checked against the organization's components like a page's. */
export async function createTemplate(ctx: CmsContext, rawInput: unknown): Promise<Template> {
  policy.requireViewer(ctx);
  const input = parseInput(createTemplateInput, rawInput, 'input');
  await policy.assertCanManageLibrary(ctx, input.orgId);
  const document = await checkDocument(ctx, input.orgId, input.document);
  return auditedTransaction(ctx.prisma, ctx.audit, async (tx, audit) => {
    const template = await tx.template.create({
      data: {
        organizationId: input.orgId,
        name: input.name,
        document: document as unknown as Prisma.InputJsonObject,
      },
    });
    audit({
      organizationId: template.organizationId,
      action: 'template.created',
      target: { type: 'template', id: template.id },
      changes: { after: { name: template.name } },
    });
    return template;
  });
}
