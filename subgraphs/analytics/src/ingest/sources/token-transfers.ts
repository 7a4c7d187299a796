import { metricEvent, type MetricEvent } from '../metric-event.ts';
import type { IngestSource } from './ingest-source.ts';
import { lookBackFrom, markCounted, newestOf, readTimeCursor } from './look-back.ts';
import { sampleTokenHolders } from './token-holders.ts';

const source = 'tokens.transfer';

interface TransferRow {
  id: string;
  tokenId: string;
  organizationId: string;
  decimals: number;
  kind: string;
  amount: string;
  createdAt: Date;
  updatedAt: Date;
}

/** Whole millionths of a token in a raw amount of its smallest unit. */
function tokenMicros(amount: string, decimals: number): bigint {
  const raw = BigInt(amount);
  return decimals >= 6 ? raw / 10n ** BigInt(decimals - 6) : raw * 10n ** BigInt(6 - decimals);
}

/**
 * Transfers, mints and burns once the tokens indexer has read them from a block (or the
 * platform's own once confirmed in one): each counts once in `tokens.transfers` and its
 * amount in `tokens.volume`, at the time its row was made. The holders of every token with
 * new transfers are sampled after.
 */
export const tokenTransfersSource: IngestSource = {
  name: source,
  async read(tx, limit) {
    const from = lookBackFrom(await readTimeCursor(tx, source));
    const rows = await tx.$queryRaw<TransferRow[]>`/* analytics:background */
      SELECT t.id::text, t.token_id::text AS "tokenId", k.organization_id::text AS "organizationId",
        k.decimals, t.kind::text, t.amount::text, t.created_at AS "createdAt", t.updated_at AS "updatedAt"
      FROM tokens.token_transactions t
      JOIN tokens.tokens k ON k.id = t.token_id
      WHERE t.updated_at >= ${from} AND t.block_number IS NOT NULL AND t.status <> 'FAILED'
        AND NOT EXISTS (SELECT 1 FROM analytics.counted_rows c WHERE c.source = ${source} AND c.row_id = t.id::text)
      ORDER BY t.updated_at
      LIMIT ${limit}`;
    const events: MetricEvent[] = [];
    for (const row of rows) {
      events.push(
        metricEvent(row.organizationId, 'tokens.transfers', row.createdAt, { dimension: row.tokenId }),
        metricEvent(row.organizationId, 'tokens.volume', row.createdAt, {
          dimension: row.tokenId,
          micros: tokenMicros(row.amount, row.decimals),
        }),
      );
    }
    await markCounted(tx, source, rows.map((row) => row.id), newestOf(rows.map((row) => row.updatedAt)));
    const tokens = new Map(rows.map((row) => [row.tokenId, row.organizationId]));
    events.push(...(await sampleTokenHolders(tx, tokens)));
    return { events, full: rows.length >= limit };
  },
};
