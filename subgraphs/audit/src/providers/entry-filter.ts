import type { Prisma } from '@token-nexus/prisma';
import { parseInput } from '@token-nexus/shared';
import { z } from 'zod';

const filterSchema = z
  .object({
    actorId: z.string().min(1).max(200).nullish(),
    actionPrefix: z.string().min(1).max(100).nullish(),
    targetType: z.string().min(1).max(100).nullish(),
    targetId: z.string().min(1).max(200).nullish(),
    severity: z.enum(['INFO', 'WARNING', 'CRITICAL']).nullish(),
    from: z.coerce.date().nullish(),
    to: z.coerce.date().nullish(),
  })
  .refine((filter) => !filter.from || !filter.to || filter.from < filter.to, {
    message: 'from must be before to',
    path: ['from'],
  });

export type EntryFilter = z.output<typeof filterSchema>;

/** Validates a client's AuditFilter (BAD_USER_INPUT naming the field at fault). */
export function parseEntryFilter(raw: unknown): EntryFilter {
  return parseInput(filterSchema, raw ?? {}, 'filter');
}

/** The rows of one organization's trail that match a filter, as a Prisma `where`. */
export function entriesWhere(organizationId: string, filter: EntryFilter): Prisma.AuditEntryWhereInput {
  return {
    chainKey: organizationId,
    ...(filter.actorId ? { actorId: filter.actorId } : {}),
    ...(filter.actionPrefix ? { action: { startsWith: filter.actionPrefix } } : {}),
    ...(filter.targetType ? { targetType: filter.targetType } : {}),
    ...(filter.targetId ? { targetId: filter.targetId } : {}),
    ...(filter.severity ? { severity: filter.severity } : {}),
    ...(filter.from || filter.to
      ? {
          occurredAt: {
            ...(filter.from ? { gte: filter.from } : {}),
            ...(filter.to ? { lt: filter.to } : {}),
          },
        }
      : {}),
  };
}
