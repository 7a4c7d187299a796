import type { PrismaClient } from '@token-nexus/prisma';

/** A gauge's level now: the sum of every change, which the daily rollups hold (today's included, kept current). */
export async function gaugeLevel(prisma: PrismaClient, organizationId: string, metric: string): Promise<number> {
  const [row] = await prisma.$queryRaw<{ level: string | null }[]>`
    SELECT sum(value)::text AS level FROM analytics.rollups
    WHERE organization_id = ${organizationId}::uuid AND metric = ${metric} AND grain = 'DAY' AND dimension_name = ''`;
  return Number(row?.level ?? 0);
}
