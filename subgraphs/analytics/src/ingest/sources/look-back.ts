import type { IngestTransaction } from './ingest-source.ts';

/**
 * Rows of another domain are read by time with a look-back: a row can commit a little
 * after rows stamped later than it, so every round reads again from this long before the
 * newest time already read, and skips the rows already counted (analytics.counted_rows).
 */
export const lookBackMs = 5 * 60_000;

/** Where a source read by time stands: the newest time it has read (the epoch at first). */
export async function readTimeCursor(tx: IngestTransaction, source: string): Promise<Date> {
  const rows = await tx.$queryRaw<{ at: Date }[]>`/* analytics:background */
    SELECT at FROM analytics.ingest_cursors WHERE source = ${source} AND key = ''`;
  return rows[0]?.at ?? new Date(0);
}

/** The time from which to read again: the look-back before the cursor. */
export function lookBackFrom(cursor: Date): Date {
  return new Date(Math.max(0, cursor.getTime() - lookBackMs));
}

/**
 * Records the rows as counted (with what each was counted as, when it may have to be
 * taken back) and moves the cursor to the newest time read.
 */
export async function markCounted(
  tx: IngestTransaction,
  source: string,
  rowIds: string[],
  newest: Date | undefined,
  counted?: unknown[],
) {
  if (rowIds.length === 0) return;
  await tx.$executeRaw`/* analytics:background */
    INSERT INTO analytics.counted_rows (source, row_id, counted)
    SELECT ${source}, r.id, r.counted FROM unnest(${rowIds}::text[],
      ${rowIds.map((_, index) => (counted?.[index] === undefined ? null : JSON.stringify(counted[index])))}::jsonb[]) AS r(id, counted)
    ON CONFLICT DO NOTHING`;
  if (newest) {
    await tx.$executeRaw`/* analytics:background */
      INSERT INTO analytics.ingest_cursors (source, key, at, updated_at) VALUES (${source}, '', ${newest}, now())
      ON CONFLICT (source, key) DO UPDATE SET at = GREATEST(ingest_cursors.at, excluded.at), updated_at = now()`;
  }
}

/** The newest of the rows' times. */
export function newestOf(times: Date[]): Date | undefined {
  return times.reduce<Date | undefined>((newest, at) => (!newest || at > newest ? at : newest), undefined);
}
