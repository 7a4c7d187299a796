import type { PrismaClient } from '@token-nexus/prisma';
import type { Logger } from '@token-nexus/shared';
import type { RawEventStore } from './raw-event-store.ts';

/**
 * Drops raw events past the retention period (whole daily partitions) and bookkeeping no
 * round needs any more: rows counted more than a day ago (far beyond the look-back) and
 * the AI usage counters' levels of days that no longer change.
 */
export async function runMaintenance(prisma: PrismaClient, raw: RawEventStore, logger: Logger): Promise<void> {
  try {
    const dropped = await prisma.$transaction(async (tx) => {
      const [clock] = await tx.$queryRaw<{ now: Date }[]>`/* analytics:background */ SELECT now() AS now`;
      const expired = await raw.dropExpired(tx, clock!.now);
      await tx.$executeRaw`/* analytics:background */ DELETE FROM analytics.counted_rows WHERE counted_at < now() - interval '1 day'`;
      await tx.$executeRaw`/* analytics:background */
        DELETE FROM analytics.gauge_levels
        WHERE metric LIKE 'seen:%' AND left(dimension, 10) < to_char((now() AT TIME ZONE 'UTC')::date - 7, 'YYYY-MM-DD')`;
      return expired;
    });
    if (dropped.length > 0) logger.info({ partitions: dropped }, 'dropped raw analytics events past retention');
  } catch (error) {
    logger.warn({ err: error }, 'analytics maintenance failed; trying again later');
  }
}
