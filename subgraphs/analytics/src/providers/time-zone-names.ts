import type { PrismaClient } from '@token-nexus/prisma';
import { requireTimeZone } from '../validation/metric-query.ts';

let names: Promise<ReadonlySet<string>> | undefined;

/**
 * The time zone names Postgres knows (its own tz database, which may differ from Node's),
 * read once per process: every zone a query uses must be one of them.
 */
export function postgresTimeZoneNames(prisma: PrismaClient): Promise<ReadonlySet<string>> {
  names ??= prisma.$queryRaw<{ name: string }[]>`SELECT name FROM pg_timezone_names`
    .then((rows) => new Set(rows.map((row) => row.name)))
    .catch((error: unknown) => {
      names = undefined;
      throw error;
    });
  return names;
}

/** The zone a read asks for: `UTC` when none, else a name both Node and Postgres know (BAD_USER_INPUT otherwise). */
export async function resolveTimeZone(prisma: PrismaClient, timeZone: string | null | undefined, field = 'timeZone'): Promise<string> {
  if (timeZone === null || timeZone === undefined || timeZone === 'UTC') return 'UTC';
  return requireTimeZone(timeZone, await postgresTimeZoneNames(prisma), field);
}
