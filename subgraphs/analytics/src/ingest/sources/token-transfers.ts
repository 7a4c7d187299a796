import { metricEvent, type MetricEvent } from '../metric-event.ts';
import type { IngestSource, IngestTransaction } from './ingest-source.ts';
import { lookBackFrom, markCounted, newestOf, readTimeCursor } from './look-back.ts';
import { sampleTokenHolders } from './token-holders.ts';

const source = 'tokens.transfer';
/**
 * How long after counting a transfer the ingester still checks that the chain kept it:
 * well past the tokens indexer's reorganisation window (the chain's confirmations plus a
 * margin, minutes), after which the indexer never undoes a row.
 */
const reorgWatchMinutes = 30;

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

/** What a counted transfer added, kept to take it back if a reorganisation removes it. */
interface CountedTransfer {
  organizationId: string;
  tokenId: string;
  kind: string;
  micros: string;
  occurredAt: string;
}

/** Whole millionths of a token in a raw amount of its smallest unit. */
function tokenMicros(amount: string, decimals: number): bigint {
  const raw = BigInt(amount);
  return decimals >= 6 ? raw / 10n ** BigInt(decimals - 6) : raw * 10n ** BigInt(6 - decimals);
}

function transferEvents(transfer: CountedTransfer, sign: 1n | -1n): MetricEvent[] {
  const at = new Date(transfer.occurredAt);
  return [
    metricEvent(transfer.organizationId, 'tokens.transfers', at, {
      dimensions: { token: transfer.tokenId, kind: transfer.kind },
      micros: sign * 1_000_000n,
    }),
    metricEvent(transfer.organizationId, 'tokens.volume', at, {
      dimension: transfer.tokenId,
      micros: sign * BigInt(transfer.micros),
    }),
  ];
}

/**
 * Transfers counted lately that the chain no longer holds: the indexer undid them after a
 * reorganisation (the row is gone, or waits to be read again without its log). Their
 * counts are taken back, and they count again if the indexer reads them again.
 */
async function undoneTransfers(tx: IngestTransaction): Promise<CountedTransfer[]> {
  const rows = await tx.$queryRaw<{ rowId: string; counted: CountedTransfer }[]>`/* analytics:background */
    DELETE FROM analytics.counted_rows c
    WHERE c.source = ${source} AND c.counted_at > now() - ${reorgWatchMinutes}::int * interval '1 minute'
      AND c.counted IS NOT NULL
      AND NOT EXISTS (
        SELECT 1 FROM tokens.token_transactions t WHERE t.id::text = c.row_id AND t.log_index IS NOT NULL)
    RETURNING c.row_id AS "rowId", c.counted`;
  return rows.map((row) => row.counted);
}

/**
 * Transfers, mints and burns once the tokens indexer has read them from the chain (their
 * Transfer log, committed with the balances it moves): each counts once in
 * `tokens.transfers` (by token and by kind) and its amount in `tokens.volume`, at the
 * time its row was made; a reorganisation that undoes one takes it back. The holders of
 * every token whose transfers changed are sampled after.
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
      WHERE t.updated_at >= ${from} AND t.log_index IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM analytics.counted_rows c WHERE c.source = ${source} AND c.row_id = t.id::text)
      ORDER BY t.updated_at
      LIMIT ${limit}`;
    const counted: CountedTransfer[] = rows.map((row) => ({
      organizationId: row.organizationId,
      tokenId: row.tokenId,
      kind: row.kind,
      micros: tokenMicros(row.amount, row.decimals).toString(),
      occurredAt: row.createdAt.toISOString(),
    }));
    const undone = await undoneTransfers(tx);
    const events = [
      ...counted.flatMap((transfer) => transferEvents(transfer, 1n)),
      ...undone.flatMap((transfer) => transferEvents(transfer, -1n)),
    ];
    await markCounted(tx, source, rows.map((row) => row.id), newestOf(rows.map((row) => row.updatedAt)), counted);
    const tokens = new Map([...counted, ...undone].map((transfer) => [transfer.tokenId, transfer.organizationId]));
    events.push(...(await sampleTokenHolders(tx, tokens)));
    return { events, full: rows.length >= limit };
  },
};
