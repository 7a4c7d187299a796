import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FormSubmission, PrismaClient } from '@token-nexus/prisma';
import {
  afterNewestFirst,
  newestFirstOrder,
  sendGraphQLError,
  writeChunk,
  type NewestFirstCursor,
} from '@token-nexus/shared';
import { csvHeader, csvRows, exportColumns } from './form-export-csv.ts';
import { exportedLeadsWhere, formExportLinks } from './form-exports.ts';

/** Where the gateway forwards `/downloads/cms-exports/<id>` (its downloadRoutes). */
export const formExportRoutePrefix = '/exports/form-submissions/';

const batchSize = 1_000;

/**
 * `GET /exports/form-submissions/<id>?expires=…&signature=…`: streams an export's leads as
 * CSV, newest first, a batch at a time and only as fast as the client reads, so a large
 * export takes the memory of a small one. The signed link is the only credential; it
 * names one export and expires.
 *
 * @returns false when the path is not an export download (another route may take it).
 */
export async function handleFormExportRoute(
  request: IncomingMessage,
  response: ServerResponse,
  deps: { prisma: PrismaClient; signingSecret: string },
): Promise<boolean> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  if (!url.pathname.startsWith(formExportRoutePrefix)) return false;
  const exportId = url.pathname.slice(formExportRoutePrefix.length);
  if (request.method !== 'GET') {
    sendGraphQLError(response, 'BAD_USER_INPUT', 'Use GET.', {}, 405);
    return true;
  }
  const verdict = formExportLinks(deps.signingSecret).verify(exportId, url.searchParams.get('expires'), url.searchParams.get('signature'));
  if (verdict !== 'valid') {
    sendGraphQLError(response, 'FORBIDDEN', 'This download link is not valid or has expired. Export again for a new one.');
    return true;
  }
  const exported = await deps.prisma.formSubmissionExport.findUnique({ where: { id: exportId } });
  if (!exported) {
    sendGraphQLError(response, 'NOT_FOUND', 'This export does not exist.');
    return true;
  }
  const columns = await exportColumns(deps.prisma, exported);
  response.writeHead(200, {
    'content-type': 'text/csv; charset=utf-8',
    // The form's id is an editor's text: only safe characters reach the header.
    'content-disposition': `attachment; filename="form-submissions-${(exported.formId ?? 'all').replace(/[^A-Za-z0-9_-]/g, '_')}-${exportId}.csv"`,
    'cache-control': 'no-store',
  });
  await writeChunk(response, csvHeader(columns));
  const where = exportedLeadsWhere(exported);
  let after: NewestFirstCursor | null = null;
  for (;;) {
    const batch: FormSubmission[] = await deps.prisma.formSubmission.findMany({ where: { AND: [where, afterNewestFirst(after)] }, orderBy: newestFirstOrder, take: batchSize });
    if (batch.length === 0) break;
    await writeChunk(response, csvRows(columns, batch));
    const last: FormSubmission = batch.at(-1)!;
    after = { createdAt: last.createdAt, id: last.id };
    if (response.destroyed) return true;
  }
  response.end();
  return true;
}
