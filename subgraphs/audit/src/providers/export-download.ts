import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuditEntry, PrismaClient } from '@token-nexus/prisma';
import { sendGraphQLError, writeChunk } from '@token-nexus/shared';
import { stringify } from 'csv-stringify/sync';
import type { DownloadSigner } from './download-links.ts';
import { exportWhere } from './exports.ts';

const batchSize = 1_000;
const columns = [
  'sequence',
  'occurredAt',
  'actorType',
  'actorId',
  'action',
  'targetType',
  'targetId',
  'severity',
  'requestId',
  'clientIp',
  'userAgent',
  'changes',
  'previousHash',
  'hash',
] as const;

/**
 * `GET /exports/<id>?expires=…&signature=…`: streams a finished export from the database,
 * a batch at a time and only as fast as the client reads (back-pressure), so a
 * million-row export takes the same memory as a small one. The signed link is the only
 * credential; it names one export and expires.
 *
 * @returns false when the path is not an export download (another route may take it).
 */
export async function handleExportDownload(
  request: IncomingMessage,
  response: ServerResponse,
  deps: {
    prisma: PrismaClient;
    downloads: DownloadSigner;
    /** Told of a link whose signature does not match, before it is refused. */
    onForgedLink: (exportId: string) => Promise<void>;
  },
): Promise<boolean> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const match = /^\/exports\/([0-9a-f-]{36})$/.exec(url.pathname);
  if (!match) return false;
  if (request.method !== 'GET') {
    sendGraphQLError(response, 'BAD_USER_INPUT', 'Use GET.', {}, 405);
    return true;
  }
  const exportId = match[1]!;
  const verdict = deps.downloads.verify(exportId, url.searchParams.get('expires'), url.searchParams.get('signature'));
  if (verdict !== 'valid') {
    if (verdict === 'forged') await deps.onForgedLink(exportId);
    sendGraphQLError(response, 'FORBIDDEN', 'This download link is not valid or has expired. Ask for a new one.');
    return true;
  }
  const exportRow = await deps.prisma.auditExport.findUnique({ where: { id: exportId } });
  if (!exportRow || exportRow.status !== 'SUCCEEDED') {
    sendGraphQLError(response, 'NOT_FOUND', 'This export is not ready.');
    return true;
  }
  const extension = exportRow.format === 'CSV' ? 'csv' : 'ndjson';
  response.writeHead(200, {
    'content-type': exportRow.format === 'CSV' ? 'text/csv; charset=utf-8' : 'application/x-ndjson',
    'content-disposition': `attachment; filename="audit-${exportRow.organizationId}-${exportId}.${extension}"`,
    'cache-control': 'no-store',
  });
  if (exportRow.format === 'CSV') await writeChunk(response, stringify([columns as unknown as string[]]));
  const where = exportWhere(exportRow);
  let after = 0;
  for (;;) {
    const batch = await deps.prisma.auditEntry.findMany({
      where: { AND: [where, { sequence: { gt: after } }] },
      orderBy: { sequence: 'asc' },
      take: batchSize,
    });
    if (batch.length === 0) break;
    await writeChunk(response, exportRow.format === 'CSV' ? toCsv(batch) : toNdjson(batch));
    after = batch.at(-1)!.sequence;
    if (response.destroyed) return true;
  }
  response.end();
  return true;
}

function row(entry: AuditEntry) {
  return {
    sequence: entry.sequence,
    occurredAt: entry.occurredAt.toISOString(),
    actorType: entry.actorType,
    actorId: entry.actorId,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    severity: entry.severity,
    requestId: entry.requestId,
    clientIp: entry.clientIp,
    userAgent: entry.userAgent,
    changes: entry.changes,
    previousHash: entry.previousHash,
    hash: entry.hash,
  };
}

function toCsv(batch: AuditEntry[]): string {
  return stringify(
    batch.map((entry) => {
      const values = row(entry);
      return columns.map((column) =>
        column === 'changes' ? (values.changes === null ? '' : JSON.stringify(values.changes)) : (values[column] ?? ''),
      );
    }),
  );
}

function toNdjson(batch: AuditEntry[]): string {
  return batch.map((entry) => `${JSON.stringify(row(entry))}\n`).join('');
}
