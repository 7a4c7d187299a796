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

/** Records the rows as counted and moves the cursor to the newest time read. */
export async function markCounted(tx: IngestTransaction, source: string, rowIds: string[], newest: Date | undefined) {
  if (rowIds.length === 0) return;
  await tx.$executeRaw`/* analytics:background */
    INSERT INTO analytics.counted_rows (source, row_id)
    SELECT ${source}, id FROM unnest(${rowIds}::text[]) AS r(id)
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
