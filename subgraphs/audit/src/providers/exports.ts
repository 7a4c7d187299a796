import {
  auditedTransaction,
  enqueueJob,
  type AuditContext,
  type AuditExport,
  type JobDefinition,
  type JobHandler,
  type Prisma,
  type PrismaClient,
} from '@token-nexus/prisma';
import { parseInput, type Logger } from '@token-nexus/shared';
import { z } from 'zod';
import type { AuditSubgraphContext } from '../context.ts';
import { policy } from '../policy.ts';
import { entriesWhere, parseEntryFilter, type EntryFilter } from './entry-filter.ts';
import { parseOrganizationId } from './organization-id.ts';

export interface ExportJobPayload {
  exportId: string;
  [key: string]: string;
}

export const auditExportJob: JobDefinition<ExportJobPayload> = { queue: 'audit.export', maxAttempts: 5 };

/** The system itself, as the actor of what the export job records. */
function systemContext(onRecorded: AuditContext['onRecorded']): AuditContext {
  return { actor: { type: 'SYSTEM', id: 'audit.export' }, requestId: null, clientIp: null, userAgent: null, onRecorded };
}

/**
 * Asks for an export: the export row, its job and the audit entry saying who asked are
 * written in one transaction, so there is never a job without its export or the other
 * way round.
 */
export async function requestExport(
  ctx: AuditSubgraphContext,
  args: { orgId: string; filter?: unknown; format: 'CSV' | 'NDJSON' },
): Promise<AuditExport> {
  const organizationId = parseOrganizationId(args.orgId);
  await policy.assertCanReadTrail(ctx, organizationId);
  const filter = parseEntryFilter(args.filter);
  const storedFilter = JSON.parse(JSON.stringify(filter)) as Prisma.InputJsonObject;
  return auditedTransaction(ctx.prisma, ctx.audit, async (tx, audit) => {
    const created = await tx.auditExport.create({
      data: {
        organizationId,
        requestedById: ctx.viewerId!,
        format: args.format,
        filter: storedFilter,
      },
    });
    await enqueueJob(tx, auditExportJob, { exportId: created.id });
    audit({
      organizationId,
      action: 'audit.export_requested',
      target: { type: 'audit_export', id: created.id },
      changes: { after: { format: args.format, filter: storedFilter } },
    });
    return created;
  });
}

/** The filter an export was asked with, as stored. */
export function exportFilter(exportRow: AuditExport): EntryFilter {
  return parseInput(
    z.object({
      actorId: z.string().nullish(),
      actionPrefix: z.string().nullish(),
      targetType: z.string().nullish(),
      targetId: z.string().nullish(),
      severity: z.enum(['INFO', 'WARNING', 'CRITICAL']).nullish(),
      from: z.coerce.date().nullish(),
      to: z.coerce.date().nullish(),
    }),
    exportRow.filter,
  );
}

/** The rows an export holds: its filter, up to the sequence its job fixed. */
export function exportWhere(exportRow: AuditExport): Prisma.AuditEntryWhereInput {
  return {
    ...entriesWhere(exportRow.organizationId, exportFilter(exportRow)),
    sequence: { lte: exportRow.upToSequence ?? 0 },
  };
}

/**
 * The export job. It fixes the snapshot (the organization's last sequence when it first
 * runs) and counts what the snapshot holds; the download then streams exactly those rows
 * from the database. The trail is append-only, so the snapshot never changes: a retried
 * or repeated run keeps the first run's sequence and finds the same rows, never a
 * duplicate.
 */
export function auditExportHandler(
  prisma: PrismaClient,
  logger: Logger,
  onRecorded: AuditContext['onRecorded'],
): JobHandler<ExportJobPayload> {
  return {
    definition: auditExportJob,
    async run({ exportId }) {
      const pending = await prisma.auditExport.findUnique({ where: { id: exportId } });
      if (!pending || pending.status === 'SUCCEEDED' || pending.status === 'FAILED') return;
      let snapshot = pending;
      if (snapshot.upToSequence === null) {
        const head = await prisma.auditChainHead.findUnique({ where: { chainKey: pending.organizationId } });
        await prisma.auditExport.updateMany({
          where: { id: exportId, upToSequence: null },
          data: { upToSequence: head?.lastSequence ?? 0, status: 'RUNNING' },
        });
        snapshot = await prisma.auditExport.findUniqueOrThrow({ where: { id: exportId } });
      }
      const rowCount = await prisma.auditEntry.count({ where: exportWhere(snapshot) });
      await auditedTransaction(prisma, systemContext(onRecorded), async (tx, audit) => {
        await tx.auditExport.update({
          where: { id: exportId },
          data: { status: 'SUCCEEDED', rowCount, completedAt: new Date(), failureReason: null },
        });
        audit({
          organizationId: snapshot.organizationId,
          action: 'audit.export_completed',
          target: { type: 'audit_export', id: exportId },
          changes: { after: { rowCount, upToSequence: snapshot.upToSequence } },
        });
      });
    },
    async onExhausted({ exportId }, error) {
      logger.error({ err: error, exportId }, 'audit export failed for good');
      await prisma.auditExport.update({
        where: { id: exportId },
        data: {
          status: 'FAILED',
          completedAt: new Date(),
          failureReason: 'The export could not be prepared. Ask for a new one; if it fails again, contact support with its id.',
        },
      });
    },
  };
}
