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
  const rows = await prisma.$queryRaw<Row[]>`
    WITH req AS (
      SELECT * FROM unnest(
        ${column((_, index) => index)}::int[], ${column((r) => r.organizationId)}::uuid[], ${column((r) => r.metric)}::text[],
        ${column((r) => r.unit)}::text[], ${column((r) => r.timeZone)}::text[], ${column((r) => r.from)}::timestamptz[],
        ${column((r) => r.to)}::timestamptz[], ${column((r) => (r.split === null ? '' : `${r.split}=`))}::text[], ${column((r) => r.aggregation)}::text[]
      ) AS r(idx, org, metric, unit, tz, from_at, to_at, split, aggregation)
    ), span AS (
      SELECT r.*,
        CASE WHEN r.unit = 'all' THEN r.from_at ELSE date_trunc(r.unit, r.from_at, r.tz) END AS lo,
        CASE WHEN r.unit = 'all' THEN r.to_at
          ELSE ((date_trunc(r.unit, r.to_at - interval '1 millisecond', r.tz) AT TIME ZONE r.tz)
            + ('1 ' || r.unit)::interval) AT TIME ZONE r.tz END AS hi
      FROM req r
    ), w AS (
      SELECT s.*,
        date_trunc('day', s.lo + interval '1 day' - interval '1 millisecond', 'UTC') AS day_lo,
        date_trunc('day', s.hi, 'UTC') AS day_hi,
        (s.aggregation <> 'DISTINCT'
          AND (s.unit = 'all' OR (s.tz = 'UTC' AND s.unit IN ('day', 'week', 'month')))
          AND date_trunc('day', s.lo + interval '1 day' - interval '1 millisecond', 'UTC') < date_trunc('day', s.hi, 'UTC'))
          AS use_days
      FROM span s
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
    FROM w JOIN analytics.rollups x
      ON w.use_days AND x.organization_id = w.org AND x.metric = w.metric AND x.grain = 'DAY'
      AND x.bucket >= w.day_lo AND x.bucket < w.day_hi
      AND (CASE WHEN w.split = '' THEN x.dimension = '' ELSE left(x.dimension, length(w.split)) = w.split END)
    UNION ALL
    SELECT w.idx, 'row', CASE WHEN w.unit = 'all' THEN NULL ELSE date_trunc(w.unit, x.bucket, w.tz) END, NULL,
      x.dimension, x.value::text, x.count::text, x.histogram::text
    FROM w JOIN analytics.rollups x
      ON w.aggregation <> 'DISTINCT' AND x.organization_id = w.org AND x.metric = w.metric AND x.grain = 'HOUR'
      AND x.bucket >= w.lo AND x.bucket < w.hi
      AND NOT (w.use_days AND x.bucket >= w.day_lo AND x.bucket < w.day_hi)
      AND (CASE WHEN w.split = '' THEN x.dimension = '' ELSE left(x.dimension, length(w.split)) = w.split END)
    UNION ALL
    SELECT w.idx, 'base', NULL, NULL, x.dimension, sum(x.value)::text, NULL, NULL
    FROM w JOIN analytics.rollups x
      ON w.aggregation = 'GAUGE' AND x.organization_id = w.org AND x.metric = w.metric
      AND ((x.grain = 'DAY' AND x.bucket < date_trunc('day', w.lo, 'UTC'))
        OR (x.grain = 'HOUR' AND x.bucket >= date_trunc('day', w.lo, 'UTC') AND x.bucket < w.lo))
      AND (CASE WHEN w.split = '' THEN x.dimension = '' ELSE left(x.dimension, length(w.split)) = w.split END)
    GROUP BY w.idx, x.dimension
    UNION ALL
    SELECT w.idx, 'row', CASE WHEN w.unit = 'all' THEN NULL ELSE date_trunc(w.unit, e.occurred_at, w.tz) END, NULL,
      CASE WHEN w.split = '' THEN '' ELSE e.dimension END, count(DISTINCT e.subject)::text, count(*)::text, NULL
    FROM w JOIN analytics_raw.events e
      ON w.aggregation = 'DISTINCT' AND e.organization_id = w.org AND e.metric = w.metric
      AND e.occurred_at >= w.lo AND e.occurred_at < w.hi AND e.subject IS NOT NULL
      AND (w.split = '' OR left(e.dimension, length(w.split)) = w.split)
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
      answer.base.set(valueOfKey(requests[row.idx]!, row.dimension), Number(row.value));
    } else {
      answer.rows.push({
        t: row.t,
        dimension: valueOfKey(requests[row.idx]!, row.dimension),
        value: Number(row.value),
        count: Number(row.count ?? 0),
        histogram: parseHistogram(row.histogram),
      });
    }
  }
  for (const answer of answers) answer.slots.sort((a, b) => a.getTime() - b.getTime());
  return answers;
}

/** A rollup's dimension key (`token=<id>`) as the value it holds, for a split request; '' for the total. */
function valueOfKey(request: RollupRequest, key: string | null): string {
  return request.split === null || !key ? '' : key.slice(request.split.length + 1);
}

/** `{1,0,3}` (Postgres' text form of an array) as counts; empty for none. */
function parseHistogram(text: string | null): bigint[] {
  if (!text || text === '{}') return [];
  return text.slice(1, -1).split(',').map((count) => BigInt(count));
}
