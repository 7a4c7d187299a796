import type { Page, Prisma } from '@token-nexus/prisma';
import { NotFoundError, encodeCursor, parseInput, parsePageRequest, toConnection } from '@token-nexus/shared';
import type { CmsContext } from '../context.ts';
import type { PageConnectionModel } from '../models.ts';
import { policy } from '../policy.ts';
import { pageFilter, uuid, type PageFilter } from '../validation/inputs.ts';

/** The page, or NOT_FOUND (authorization is the caller's next step). */
export async function requirePage(ctx: CmsContext, id: string): Promise<Page> {
  const page = await ctx.loaders.pageById.load(id);
  if (!page) throw new NotFoundError('The page does not exist.');
  return page;
}

/** A page its organization's members may read; null when there is none. */
export async function findPage(ctx: CmsContext, rawId: unknown): Promise<Page | null> {
  const id = parseInput(uuid, rawId, 'id');
  const page = await ctx.loaders.pageById.load(id);
  if (!page) return null;
  await policy.assertCanRead(ctx, page.organizationId);
  return page;
}

interface PageCursor {
  createdAt: Date;
  id: string;
}

/** One page of an organization's pages and posts, newest first. */
export async function listPages(
  ctx: CmsContext,
  args: { orgId: unknown; filter?: unknown; first?: number | null; after?: string | null },
): Promise<PageConnectionModel> {
  const organizationId = parseInput(uuid, args.orgId, 'orgId');
  await policy.assertCanRead(ctx, organizationId);
  const filter = parseInput(pageFilter, args.filter, 'filter') ?? {};
  const page = parsePageRequest<PageCursor>(args, decodePageCursor);
  const rows = await ctx.prisma.page.findMany({
    where: {
      ...pagesWhere(organizationId, filter),
      // Newest first: after a cursor come older pages, or equally old ones with a smaller id.
      ...(page.after
        ? {
            OR: [
              { createdAt: { lt: page.after.createdAt } },
              { createdAt: page.after.createdAt, id: { lt: page.after.id } },
            ],
          }
        : {}),
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: page.limit + 1,
  });
  return toConnection(rows, page, (row) => encodeCursor([row.createdAt.toISOString(), row.id]));
}

function pagesWhere(organizationId: string, filter: PageFilter): Prisma.PageWhereInput {
  return {
    organizationId,
    ...(filter.kind ? { kind: filter.kind } : {}),
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.locale ? { locale: filter.locale } : {}),
    ...(filter.search ? { title: { contains: filter.search, mode: 'insensitive' } } : {}),
  };
}

function decodePageCursor(values: unknown[]): PageCursor | null {
  const [createdAt, id] = values;
  if (typeof createdAt !== 'string' || typeof id !== 'string') return null;
  const date = new Date(createdAt);
  if (Number.isNaN(date.getTime()) || !uuid.safeParse(id).success) return null;
  return { createdAt: date, id };
}
