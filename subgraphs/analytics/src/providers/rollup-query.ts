import type { PrismaClient } from '@token-nexus/prisma';

/** A Postgres `date_trunc` unit, or `all` for one value over the whole period. */
export type TruncUnit = 'hour' | 'day' | 'week' | 'month' | 'all';

/** One read of a metric over a period: the unit of a point (or `all`), split by dimension or not. */
export interface RollupRequest {
  organizationId: string;
  metric: string;
  aggregation: 'SUM' | 'COUNT' | 'GAUGE' | 'DISTINCT' | 'HISTOGRAM';
  unit: TruncUnit;
  timeZone: string;
  from: Date;
  to: Date;
  /** A dimension: rows per value of it; null: the metric's total. */
  split: string | null;
}

/** What the database answers for one request. */
export interface RollupAnswer {
  /** The period as read: `from` and `to` widened to whole units in the time zone. */
  start: Date;
  end: Date;
  /** Every unit's start, in order (none for `all`). */
  slots: Date[];
  /** Values per unit start (null for `all`) and dimension value ('' for the total, else the value alone). */
  rows: { t: Date | null; dimension: string; value: number; count: number; histogram: bigint[] }[];
  /** For a gauge: its level (per dimension value) before `start`. */
  base: Map<string, number>;
}

interface Row {
  idx: number;
  kind: 'bounds' | 'slot' | 'row' | 'base';
  t: Date | null;
  t2: Date | null;
  dimension: string | null;
  value: string | null;
  count: string | null;
  histogram: string | null;
}

/**
 * Reads many requests in one statement (a dashboard's every widget, summaries with their
 * previous periods): so the statements per dashboard do not grow with its widgets.
 *
 * Rollups are read from the daily rows for the UTC days entirely inside the period when
 * the points are days or longer in UTC (or the period is one value), and from hourly
 * rows everywhere else, so days, weeks and months in any time zone start at the zone's
 * midnight (daylight-saving days of 23 and 25 hours included). Distinct metrics are
 * counted from the raw events.
 */
export async function readRollups(prisma: PrismaClient, requests: readonly RollupRequest[]): Promise<RollupAnswer[]> {
  if (requests.length === 0) return [];
  const column = <T>(pick: (request: RollupRequest, index: number) => T) => requests.map(pick);
  // Every read of rollups below is a LATERAL subquery per request, each one index range of
  // the key (organization, metric, grain, dimension, bucket…); OFFSET 0 keeps the planner
  // from merging them into one join over the table, which it prefers for many requests.
  const rows = await prisma.$queryRaw<Row[]>`
    WITH req AS (
      SELECT * FROM unnest(
        ${column((_, index) => index)}::int[], ${column((r) => r.organizationId)}::uuid[], ${column((r) => r.metric)}::text[],
        ${column((r) => r.unit)}::text[], ${column((r) => r.timeZone)}::text[], ${column((r) => r.from)}::timestamptz[],
        ${column((r) => r.to)}::timestamptz[], ${column((r) => r.split ?? '')}::text[], ${column((r) => r.aggregation)}::text[]
      ) AS r(idx, org, metric, unit, tz, from_at, to_at, split, aggregation)
    ), span AS (
      SELECT r.*,
        CASE WHEN r.unit = 'all' THEN r.from_at ELSE date_trunc(r.unit, r.from_at, r.tz) END AS lo,
        CASE WHEN r.unit = 'all' THEN r.to_at
          ELSE ((date_trunc(r.unit, r.to_at - interval '1 millisecond', r.tz) AT TIME ZONE r.tz)
            + ('1 ' || r.unit)::interval) AT TIME ZONE r.tz END AS hi
      FROM req r
    ), days AS (
      SELECT s.*,
        date_trunc('day', s.lo + interval '1 day' - interval '1 millisecond', 'UTC') AS day_lo,
        date_trunc('day', s.hi, 'UTC') AS day_hi
      FROM span s
    ), w AS (
      SELECT d.*,
        (d.aggregation <> 'DISTINCT' AND (d.unit = 'all' OR (d.tz = 'UTC' AND d.unit IN ('day', 'week', 'month')))
          AND d.day_lo < d.day_hi) AS use_days
      FROM days d
    ), hours AS (
      -- Hourly rows only where daily ones do not serve: the partial days at each end.
      SELECT w.*, h.lo AS h_lo, h.hi AS h_hi
      FROM w CROSS JOIN LATERAL (
        SELECT w.lo, CASE WHEN w.use_days THEN w.day_lo ELSE w.hi END
        UNION ALL
        SELECT w.day_hi, w.hi WHERE w.use_days
      ) AS h(lo, hi)
      WHERE w.aggregation <> 'DISTINCT'
    )
    SELECT w.idx, 'bounds' AS kind, w.lo AS t, w.hi AS t2,
      NULL::text AS dimension, NULL::text AS value, NULL::text AS count, NULL::text AS histogram
    FROM w
    UNION ALL
    SELECT w.idx, 'slot', g, NULL, NULL, NULL, NULL, NULL
    FROM w CROSS JOIN LATERAL generate_series(w.lo, w.hi - interval '1 hour', interval '1 hour') AS g
    WHERE w.unit = 'hour'
    UNION ALL
    SELECT w.idx, 'slot', g AT TIME ZONE w.tz, NULL, NULL, NULL, NULL, NULL
    FROM w CROSS JOIN LATERAL generate_series(w.lo AT TIME ZONE w.tz, (w.hi AT TIME ZONE w.tz) - ('1 ' || w.unit)::interval,
      ('1 ' || w.unit)::interval) AS g
    WHERE w.unit IN ('day', 'week', 'month')
    UNION ALL
    SELECT w.idx, 'row', CASE WHEN w.unit = 'all' THEN NULL ELSE date_trunc(w.unit, x.bucket, w.tz) END, NULL,
      x.dimension, x.value::text, x.count::text, x.histogram::text
    FROM w CROSS JOIN LATERAL (
      SELECT r.bucket, r.dimension, r.value, r.count, r.histogram FROM analytics.rollups r
      WHERE w.use_days AND r.organization_id = w.org AND r.metric = w.metric AND r.grain = 'DAY'
        AND r.dimension_name = w.split AND r.bucket >= w.day_lo AND r.bucket < w.day_hi
      OFFSET 0
    ) x
    UNION ALL
    SELECT h.idx, 'row', CASE WHEN h.unit = 'all' THEN NULL ELSE date_trunc(h.unit, x.bucket, h.tz) END, NULL,
      x.dimension, x.value::text, x.count::text, x.histogram::text
    FROM hours h CROSS JOIN LATERAL (
      SELECT r.bucket, r.dimension, r.value, r.count, r.histogram FROM analytics.rollups r
      WHERE r.organization_id = h.org AND r.metric = h.metric AND r.grain = 'HOUR'
        AND r.dimension_name = h.split AND r.bucket >= h.h_lo AND r.bucket < h.h_hi
      OFFSET 0
    ) x
    UNION ALL
    SELECT w.idx, 'base', NULL, NULL, x.dimension, sum(x.value)::text, NULL, NULL
    FROM w CROSS JOIN LATERAL (
      SELECT r.dimension, r.value FROM analytics.rollups r
      WHERE r.organization_id = w.org AND r.metric = w.metric AND r.grain = 'DAY' AND r.dimension_name = w.split
        AND r.bucket < date_trunc('day', w.lo, 'UTC')
      UNION ALL
      SELECT r.dimension, r.value FROM analytics.rollups r
      WHERE r.organization_id = w.org AND r.metric = w.metric AND r.grain = 'HOUR' AND r.dimension_name = w.split
        AND r.bucket >= date_trunc('day', w.lo, 'UTC') AND r.bucket < w.lo
      OFFSET 0
    ) x
    WHERE w.aggregation = 'GAUGE'
    GROUP BY w.idx, x.dimension
    UNION ALL
    SELECT w.idx, 'row', CASE WHEN w.unit = 'all' THEN NULL ELSE date_trunc(w.unit, e.occurred_at, w.tz) END, NULL,
      CASE WHEN w.split = '' THEN '' ELSE substr(e.dimension, length(w.split) + 2) END,
      count(DISTINCT e.subject)::text, count(*)::text, NULL
    FROM w JOIN analytics_raw.events e
      ON w.aggregation = 'DISTINCT' AND e.organization_id = w.org AND e.metric = w.metric
      AND e.occurred_at >= w.lo AND e.occurred_at < w.hi AND e.subject IS NOT NULL
      AND (w.split = '' OR left(e.dimension, length(w.split) + 1) = w.split || '=')
    GROUP BY w.idx, 2, 3, 5`;
  const answers: RollupAnswer[] = requests.map(() => ({
    start: new Date(0),
    end: new Date(0),
    slots: [],
    rows: [],
    base: new Map(),
  }));
  for (const row of rows) {
    const answer = answers[row.idx]!;
    if (row.kind === 'bounds') {
      answer.start = row.t!;
      answer.end = row.t2!;
    } else if (row.kind === 'slot') {
      answer.slots.push(row.t!);
    } else if (row.kind === 'base') {
      answer.base.set(row.dimension ?? '', Number(row.value));
    } else {
      answer.rows.push({
        t: row.t,
        dimension: row.dimension ?? '',
        value: Number(row.value),
        count: Number(row.count ?? 0),
        histogram: parseHistogram(row.histogram),
      });
    }
  }
  for (const answer of answers) answer.slots.sort((a, b) => a.getTime() - b.getTime());
  return answers;
}

/** `{1,0,3}` (Postgres' text form of an array) as counts; empty for none. */
function parseHistogram(text: string | null): bigint[] {
  if (!text || text === '{}') return [];
  return text.slice(1, -1).split(',').map((count) => BigInt(count));
}
