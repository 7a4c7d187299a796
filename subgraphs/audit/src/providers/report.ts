import { BadUserInputError, parseInput } from '@token-nexus/shared';
import { z } from 'zod';
import type { AuditSubgraphContext } from '../context.ts';
import type { AuditReportRowModel } from '../models.ts';
import { policy } from '../policy.ts';
import { parseOrganizationId } from './organization-id.ts';

const maxRangeDays = 400;
const dayMs = 24 * 60 * 60 * 1000;

/**
 * Counts an organization's entries in [from, to), grouped by action, by actor or by UTC
 * day. Grouping runs in the database; the answer is at most a few hundred rows.
 */
export async function auditReport(
  ctx: AuditSubgraphContext,
  args: { orgId: string; from: unknown; to: unknown; groupBy: 'ACTION' | 'ACTOR' | 'DAY' },
): Promise<AuditReportRowModel[]> {
  const organizationId = parseOrganizationId(args.orgId);
  await policy.assertCanReadTrail(ctx, organizationId);
  const from = parseInput(z.coerce.date(), args.from, 'from');
  const to = parseInput(z.coerce.date(), args.to, 'to');
  if (from >= to) throw new BadUserInputError('from must be before to.', { field: 'from' });
  if (to.getTime() - from.getTime() > maxRangeDays * dayMs) {
    throw new BadUserInputError(`A report covers at most ${maxRangeDays} days.`, { field: 'to' });
  }
  const where = { chainKey: organizationId, occurredAt: { gte: from, lt: to } };

  if (args.groupBy === 'ACTION') {
    const rows = await ctx.prisma.auditEntry.groupBy({ by: ['action'], where, _count: { _all: true } });
    return rows
      .map((row) => ({ key: row.action, count: row._count._all, actorUserId: null, day: null }))
      .sort(byCountThenKey);
  }
  if (args.groupBy === 'ACTOR') {
    const rows = await ctx.prisma.auditEntry.groupBy({
      by: ['actorType', 'actorId'],
      where,
      _count: { _all: true },
    });
    return rows
      .map((row) => ({
        key: row.actorId ? `${row.actorType}:${row.actorId}` : row.actorType,
        count: row._count._all,
        actorUserId: row.actorType === 'USER' ? row.actorId : null,
        day: null,
      }))
      .sort(byCountThenKey);
  }
  // Prisma cannot group by an expression; a day is a UTC calendar day.
  const rows = await ctx.prisma.$queryRaw<{ day: Date; count: bigint }[]>`
    SELECT date_trunc('day', occurred_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS day, count(*) AS count
    FROM audit.entries
    WHERE chain_key = ${organizationId} AND occurred_at >= ${from} AND occurred_at < ${to}
    GROUP BY 1 ORDER BY 1`;
  return rows.map((row) => ({
    key: row.day.toISOString().slice(0, 10),
    count: Number(row.count),
    actorUserId: null,
    day: row.day,
  }));
}

function byCountThenKey(a: AuditReportRowModel, b: AuditReportRowModel): number {
  return b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}
