import { Prisma, type AuditEntry, type PrismaClient } from '@token-nexus/prisma';
import type { NewestFirstCursor } from '@token-nexus/shared';

/** Which security events a page holds. */
export interface SecurityEventQuery {
  /** One organization's; null: every chain's. */
  organizationId: string | null;
  actions: string[];
  from: Date;
  to: Date;
  /** Events strictly older (by time, then id) than this one. */
  after: NewestFirstCursor | null;
  /** How many to read. */
  take: number;
}

/**
 * The newest `take` entries of the given actions in [from, to), newest first (time, then
 * id). Each action is its own index range, read backwards and stopped after `take` rows
 * (`(organization_id, action, occurred_at, id)`, or `(action, occurred_at, id)` across
 * chains); the ranges are merged and cut to `take`. So a page costs at most `take` rows
 * per action, however many events the period holds, where one `action IN (…)` scan would
 * read and sort every one of them. Prisma cannot write the union; the rows are then
 * loaded by id through Prisma.
 */
export async function readSecurityEventPage(prisma: PrismaClient, query: SecurityEventQuery): Promise<AuditEntry[]> {
  if (query.actions.length === 0) return [];
  const range = (action: string) => Prisma.sql`(
    SELECT id, occurred_at FROM audit.entries
    WHERE action = ${action}
      ${query.organizationId ? Prisma.sql`AND organization_id = ${query.organizationId}::uuid` : Prisma.empty}
      AND occurred_at >= ${query.from} AND occurred_at < ${query.to}
      ${query.after ? Prisma.sql`AND (occurred_at, id) < (${query.after.createdAt}, ${query.after.id}::uuid)` : Prisma.empty}
    ORDER BY occurred_at DESC, id DESC
    LIMIT ${query.take})`;
  const page = await prisma.$queryRaw<{ id: string }[]>`
    SELECT id FROM (${Prisma.join(query.actions.map(range), ' UNION ALL ')}) AS events
    ORDER BY occurred_at DESC, id DESC
    LIMIT ${query.take}`;
  if (page.length === 0) return [];
  const entries = await prisma.auditEntry.findMany({ where: { id: { in: page.map((row) => row.id) } } });
  const byId = new Map(entries.map((entry) => [entry.id, entry]));
  return page.map((row) => byId.get(row.id)).filter((entry): entry is AuditEntry => entry !== undefined);
}
