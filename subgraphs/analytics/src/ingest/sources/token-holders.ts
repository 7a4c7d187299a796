import { metricEvent, microsPerUnit, type MetricEvent } from '../metric-event.ts';
import type { IngestTransaction } from './ingest-source.ts';

/**
 * Samples the holders (positive balances) of the given tokens and returns the change
 * since the last sample as `tokens.holders` events, at the database's now. The last
 * levels live in analytics.gauge_levels, moved in the same transaction.
 *
 * @param tokens token id → its organization's id
 */
export async function sampleTokenHolders(tx: IngestTransaction, tokens: Map<string, string>): Promise<MetricEvent[]> {
  if (tokens.size === 0) return [];
  const ids = [...tokens.keys()];
  const rows = await tx.$queryRaw<{ tokenId: string; holders: number; now: Date }[]>`/* analytics:background */
    SELECT t.id::text AS "tokenId", now() AS now,
      (SELECT count(*)::int FROM tokens.token_balances b WHERE b.token_id = t.id AND b.balance > 0) AS holders
    FROM unnest(${ids}::uuid[]) AS t(id)`;
  const levels = await tx.$queryRaw<{ dimension: string; value: string }[]>`/* analytics:background */
    SELECT g.dimension, g.value::text FROM analytics.gauge_levels g
    JOIN unnest(${ids}::text[], ${ids.map((id) => tokens.get(id)!)}::uuid[]) AS t(id, org)
      ON g.organization_id = t.org AND g.metric = 'tokens.holders' AND g.dimension = t.id`;
  const previous = new Map(levels.map((level) => [level.dimension, Number(level.value)]));
  const events: MetricEvent[] = [];
  const changed: { tokenId: string; holders: number }[] = [];
  for (const row of rows) {
    const delta = row.holders - (previous.get(row.tokenId) ?? 0);
    if (delta === 0) continue;
    changed.push(row);
    events.push(
      metricEvent(tokens.get(row.tokenId)!, 'tokens.holders', row.now, {
        dimension: row.tokenId,
        micros: BigInt(delta) * microsPerUnit,
      }),
    );
  }
  if (changed.length > 0) {
    await tx.$executeRaw`/* analytics:background */
      INSERT INTO analytics.gauge_levels (organization_id, metric, dimension, value)
      SELECT t.org, 'tokens.holders', t.id, t.holders
      FROM unnest(${changed.map((c) => tokens.get(c.tokenId)!)}::uuid[], ${changed.map((c) => c.tokenId)}::text[],
        ${changed.map((c) => c.holders)}::int[]) AS t(org, id, holders)
      ON CONFLICT (organization_id, metric, dimension) DO UPDATE SET value = excluded.value`;
  }
  return events;
}
