import pg from 'pg';
import type { GraphQLClient } from './client.ts';
import { mapConcurrently, sleep } from './concurrency.ts';
import type { BenchUser } from './dashboard-mix.ts';
import { benchUser } from './mix-seed.ts';
import { createOrganization, range, seedConcurrency, signUp, type SeededUser } from './seed.ts';

/** A metric widget as a dashboard saves it (identity keeps it; analytics reads its `config`). */
export interface MetricWidget {
  id: string;
  type: 'metric';
  title: string;
  config: { metric: string; chart: string; interval?: string; dimension?: string; top?: number; range?: string };
}

/**
 * Twelve widgets as a team's analytics dashboard has them: every chart kind, hours to
 * weeks, periods of a day to three months, half of them split by a dimension, over the
 * metrics the audit trail feeds and a few it does not (they read as zeros).
 */
const twelve: MetricWidget['config'][] = [
  { metric: 'audit.entries', chart: 'LINE', interval: 'DAY', range: '30d' },
  { metric: 'audit.entries', chart: 'PIE', dimension: 'severity' },
  { metric: 'members.count', chart: 'AREA', interval: 'DAY', range: '90d' },
  { metric: 'members.joined', chart: 'BAR', interval: 'WEEK', range: '90d' },
  { metric: 'cms.edits', chart: 'LINE', dimension: 'page', top: 5 },
  { metric: 'cms.pages.published', chart: 'NUMBER', range: '30d' },
  { metric: 'ai.messages', chart: 'BAR', interval: 'HOUR', range: '24h' },
  { metric: 'security.events', chart: 'TABLE', dimension: 'kind' },
  { metric: 'tokens.created', chart: 'PIE', dimension: 'chain', range: '90d' },
  { metric: 'tokens.deployed', chart: 'NUMBER', range: '30d' },
  { metric: 'webhooks.deliveries', chart: 'LINE', dimension: 'outcome' },
  { metric: 'api.requests', chart: 'AREA', interval: 'HOUR', range: '48h' },
];

/**
 * `count` widgets: the twelve in turn, those past the first twelve over other periods
 * (14 and 60 days; hourly ones keep theirs, which 2,000 points bound), so that no two
 * read the same rollups.
 */
export function metricWidgets(count: number): MetricWidget[] {
  return range(count).map((index) => {
    const config = { ...twelve[index % twelve.length]! };
    const round = Math.floor(index / twelve.length);
    if (round > 0 && config.interval !== 'HOUR') config.range = round === 1 ? '14d' : '60d';
    return { id: `w${index + 1}`, type: 'metric', title: `${config.metric} ${index + 1}`, config };
  });
}

/** What the run seeds through the API. */
export interface AnalyticsWorld {
  /** Owner of every organization. */
  owner: SeededUser;
  /** The owner as the load acts for them. */
  user: BenchUser;
  organizationIds: string[];
  /** widget count → the organization whose dashboard (the owner's) has that many widgets. */
  dashboards: Map<number, string>;
}

/**
 * Seeds through the public API: one user who creates `organizations` organizations
 * (createOrganization allows 100 an hour per user) and saves their dashboard in the first
 * ones, one per size in `dashboardSizes`.
 */
export async function seedAnalyticsWorld(
  gateway: GraphQLClient,
  organizations: number,
  dashboardSizes: readonly number[],
): Promise<AnalyticsWorld> {
  const owner = await signUp(gateway, 'analyst', 'Ana Analyst');
  const created = await mapConcurrently(range(organizations), seedConcurrency, (o) =>
    createOrganization(owner, `Analytics ${o + 1}`, `analytics-${o + 1}`),
  );
  const dashboards = new Map<number, string>();
  for (const [index, size] of dashboardSizes.entries()) {
    const orgId = created[index]!.id;
    await saveDashboard(owner, orgId, metricWidgets(size));
    dashboards.set(size, orgId);
  }
  return { owner, user: benchUser(owner, 0), organizationIds: created.map((organization) => organization.id), dashboards };
}

async function saveDashboard(owner: SeededUser, orgId: string, widgets: MetricWidget[]): Promise<void> {
  const layouts = {
    lg: widgets.map((widget, index) => ({ i: widget.id, x: (index % 4) * 3, y: Math.floor(index / 4) * 4, w: 3, h: 4 })),
  };
  await owner.client.data(
    `mutation ($orgId: ID!, $layouts: JSON!, $widgets: JSON!) {
      saveDashboardLayout(orgId: $orgId, layouts: $layouts, widgets: $widgets) { version }
    }`,
    { orgId, layouts, widgets },
  );
}

/** The dashboard as a client loads it: every widget's summary value and series points. */
export function dashboardQuery(orgId: string): string {
  return `query AnalyticsDashboard {
  dashboardLayout(orgId: "${orgId}") {
    widgets
    widgetData { widgetId summary { value } series { points { t v } } error { code message } }
  }
}`;
}

/** `metricSeries` of `days` daily points ending at `to` (a UTC midnight). */
export function seriesQuery(orgId: string, metric: string, to: Date, days: number): string {
  const from = new Date(to.getTime() - days * 86_400_000);
  return `query DailySeries {
  metricSeries(orgId: "${orgId}", name: "${metric}", from: "${from.toISOString()}", to: "${to.toISOString()}", interval: DAY) {
    metric total points { t v }
  }
}`;
}

interface DashboardAnswer {
  data?: { dashboardLayout: { widgetData: { widgetId: string; error: { code: string; message: string } | null; series: { points: unknown[] }[] }[] } | null };
  errors?: unknown[];
}

/** What is wrong with a dashboard's answer: GraphQL errors, a missing widget, a widget's error. */
export function dashboardProblems(body: string, widgets: number): string[] {
  const answer = JSON.parse(body) as DashboardAnswer;
  if (answer.errors?.length) return [`errors: ${JSON.stringify(answer.errors).slice(0, 300)}`];
  const data = answer.data?.dashboardLayout?.widgetData;
  if (!data) return ['no dashboardLayout or widgetData'];
  const problems = data.flatMap((widget) => (widget.error ? [`${widget.widgetId}: ${widget.error.code} ${widget.error.message}`] : []));
  if (data.length !== widgets) problems.push(`${data.length} widgets' data, expected ${widgets}`);
  return problems;
}

interface SeriesAnswer {
  data?: { metricSeries: { points: { t: string; v: number }[] }[] } | null;
  errors?: unknown[];
}

/** What is wrong with a daily series' answer: errors, other than `days` points, or days without data. */
export function seriesProblems(body: string, days: number): string[] {
  const answer = JSON.parse(body) as SeriesAnswer;
  if (answer.errors?.length) return [`errors: ${JSON.stringify(answer.errors).slice(0, 300)}`];
  const points = answer.data?.metricSeries[0]?.points;
  if (!points) return ['no series'];
  const problems: string[] = [];
  if (points.length !== days) problems.push(`${points.length} points, expected ${days}`);
  const empty = points.filter((point) => point.v === 0).length;
  if (empty > 0) problems.push(`${empty} of the days have no rollups`);
  return problems;
}

/**
 * Waits until the jobs seeding made (emails) are done, but the analytics queue's: its
 * ingest job is always waiting or running (kit/background-work.ts's wait counts it, and
 * would never end on a graph with the analytics subgraph).
 */
export async function waitForJobsButIngest(databaseUrl: string, timeoutMs = 120_000): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { rows } = await client.query<{ pending: string }>(
        `SELECT (SELECT count(*) FROM jobs.jobs WHERE status IN ('QUEUED', 'RUNNING', 'RELAYED') AND queue <> 'analytics')
              + (SELECT count(*) FROM integrations.webhook_events WHERE dispatched_at IS NULL) AS pending`,
      );
      const pending = Number(rows[0]!.pending);
      if (pending === 0) return;
      if (Date.now() > deadline) throw new Error(`${pending} background jobs or events still pending after ${timeoutMs / 1000} s`);
      await sleep(250);
    }
  } finally {
    await client.end();
  }
}
