import { metricEvent, microsPerUnit, type MetricEvent } from '../metric-event.ts';
import type { IngestSource } from './ingest-source.ts';

const source = 'ai.usage';
/** Levels of the counters last seen, kept in gauge_levels under this metric name. */
const tokensSeen = 'seen:ai.usage.tokens';
const costSeen = 'seen:ai.usage.cost';

interface UsageRow {
  organizationId: string;
  day: Date;
  /** The day as the levels' key: `2026-12-05`. */
  dayKey: string;
  model: string;
  /** The counter's growth since the last round, and the levels it grew to. */
  tokens: bigint;
  costMicros: bigint;
  totalTokens: bigint;
  totalCostMicros: bigint;
  today: Date;
  now: Date;
}

/**
 * The assistant's usage counters (per organization, UTC day and model, from the
 * provider's own token counts): every round counts what each counter grew by since the
 * last round, as `ai.tokens` and `ai.cost`. Growth on today's counter counts now; on an
 * earlier day's (the first round reading the history), at that day's start.
 */
export const aiUsageSource: IngestSource = {
  name: source,
  async read(tx) {
    const started = await tx.$queryRaw<unknown[]>`/* analytics:background */
      SELECT 1 FROM analytics.ingest_cursors WHERE source = ${source} AND key = ''`;
    const rows = await tx.$queryRaw<UsageRow[]>`/* analytics:background */
      SELECT u.organization_id::text AS "organizationId", u.day::timestamp AT TIME ZONE 'UTC' AS day,
        u.day::text AS "dayKey", u.model,
        (u.prompt_tokens + u.completion_tokens)::bigint - COALESCE(t.value, 0)::bigint AS tokens,
        u.estimated_cost_micros - COALESCE(c.value, 0)::bigint AS "costMicros",
        (u.prompt_tokens + u.completion_tokens)::bigint AS "totalTokens", u.estimated_cost_micros AS "totalCostMicros",
        (now() AT TIME ZONE 'UTC')::date::timestamp AT TIME ZONE 'UTC' AS today, now() AS now
      FROM ai.usage u
      LEFT JOIN analytics.gauge_levels t ON t.organization_id = u.organization_id AND t.metric = ${tokensSeen}
        AND t.dimension = u.day::text || '|' || u.model
      LEFT JOIN analytics.gauge_levels c ON c.organization_id = u.organization_id AND c.metric = ${costSeen}
        AND c.dimension = u.day::text || '|' || u.model
      WHERE (${started.length === 0}::boolean OR u.day >= (now() AT TIME ZONE 'UTC')::date - 2)
        AND ((u.prompt_tokens + u.completion_tokens) <> COALESCE(t.value, 0)
          OR u.estimated_cost_micros <> COALESCE(c.value, 0))`;
    if (started.length === 0) {
      await tx.$executeRaw`/* analytics:background */ INSERT INTO analytics.ingest_cursors (source, key, updated_at) VALUES (${source}, '', now())`;
    }
    if (rows.length === 0) return { events: [], full: false };
    const events: MetricEvent[] = [];
    for (const row of rows) {
      const at = row.day.getTime() >= row.today.getTime() ? row.now : row.day;
      if (row.tokens !== 0n) {
        events.push(metricEvent(row.organizationId, 'ai.tokens', at, { dimension: row.model, micros: row.tokens * microsPerUnit }));
      }
      if (row.costMicros !== 0n) {
        events.push(metricEvent(row.organizationId, 'ai.cost', at, { dimension: row.model, micros: row.costMicros }));
      }
    }
    // The levels the growth was computed from, not the counters read again: usage committed
    // since that read is counted by the next round.
    const dimensions = rows.map((row) => `${row.dayKey}|${row.model}`);
    await tx.$executeRaw`/* analytics:background */
      INSERT INTO analytics.gauge_levels (organization_id, metric, dimension, value)
      SELECT r.org, m.metric, r.dimension, CASE m.metric WHEN ${tokensSeen} THEN r.tokens ELSE r.cost END
      FROM unnest(${rows.map((row) => row.organizationId)}::uuid[], ${dimensions}::text[],
        ${rows.map((row) => row.totalTokens)}::bigint[], ${rows.map((row) => row.totalCostMicros)}::bigint[])
        AS r(org, dimension, tokens, cost)
      CROSS JOIN (VALUES (${tokensSeen}), (${costSeen})) AS m(metric)
      ON CONFLICT (organization_id, metric, dimension) DO UPDATE SET value = excluded.value`;
    return { events, full: false };
  },
};
