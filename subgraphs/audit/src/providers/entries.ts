import { encodeCursor, parsePageRequest, toConnection } from '@token-nexus/shared';
import type { AuditSubgraphContext } from '../context.ts';
import type { AuditEntryConnectionModel } from '../models.ts';
import { policy } from '../policy.ts';
import { entriesWhere, parseEntryFilter } from './entry-filter.ts';
import { parseOrganizationId } from './organization-id.ts';

/** One page of an organization's trail, newest first (by sequence, which never ties). */
export async function listEntries(
  ctx: AuditSubgraphContext,
  args: { orgId: string; filter?: unknown; first?: number | null; after?: string | null },
): Promise<AuditEntryConnectionModel> {
  const organizationId = parseOrganizationId(args.orgId);
  await policy.assertCanReadTrail(ctx, organizationId);
  const filter = parseEntryFilter(args.filter);
  const page = parsePageRequest(args, ([sequence]) =>
    Number.isInteger(sequence) && (sequence as number) > 0 ? (sequence as number) : null,
  );
  const rows = await ctx.prisma.auditEntry.findMany({
    where: {
      ...entriesWhere(organizationId, filter),
      ...(page.after !== null ? { sequence: { lt: page.after } } : {}),
    },
    orderBy: { sequence: 'desc' },
    take: page.limit + 1,
  });
  return toConnection(rows, page, (entry) => encodeCursor([entry.sequence]));
}
