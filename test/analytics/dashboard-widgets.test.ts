import { developmentSecrets, signedClaimsHeaders, type Claims } from '@token-nexus/shared';
import { fetch } from 'undici';
import { describe, expect, test } from 'vitest';
import { errorCodes } from '../testkit/client.ts';
import { requestStatements } from '../testkit/graph.ts';
import { addMember, createOrganization, signUpUser, type SignedUpUser } from '../testkit/seed.ts';
import { useTestGraph } from '../testkit/use-test-graph.ts';
import { waitForChainCounted } from './audit-history.ts';

const fixture = useTestGraph({ ANALYTICS_INGEST_INTERVAL_MS: '100', GATEWAY_CACHE: 'off' });

const save = `mutation ($orgId: ID!, $layouts: JSON!, $widgets: JSON!, $version: Int) {
  saveDashboardLayout(orgId: $orgId, layouts: $layouts, widgets: $widgets, version: $version) { version }
}`;
const dashboard = `query ($orgId: ID!, $range: TimeRangeInput) {
  dashboardLayout(orgId: $orgId) {
    version widgets
    widgetData(range: $range) {
      widgetId type title chart error { code message }
      metric { name unit }
      summary { value previousValue change }
      series { key label unit points { t v } total }
    }
  }
}`;

interface WidgetData {
  widgetId: string;
  chart: string | null;
  error: { code: string; message: string } | null;
  metric: { name: string; unit: string } | null;
  summary: { value: number } | null;
  series: { key: string | null; points: unknown[]; total: number }[];
}

const metricWidgets = [
  { id: 'members', type: 'metric', title: 'Members', config: { metric: 'members.count', chart: 'number' } },
  { id: 'joined', type: 'chart', title: 'Joined', config: { metric: 'members.joined', chart: 'bar', interval: 'hour', range: '24h' } },
  { id: 'entries', type: 'chart', config: { metric: 'audit.entries', dimension: 'severity', chart: 'pie' } },
];

async function saveWidgets(user: SignedUpUser, orgId: string, widgets: unknown[], version?: number) {
  const layouts = { lg: widgets.map((widget, index) => ({ i: (widget as { id: string }).id, x: 0, y: index, w: 4, h: 2 })) };
  return (await user.client.data(save, { orgId, layouts, widgets, version })).saveDashboardLayout.version as number;
}

/** An owner whose organization the ingester has counted (its creation and one member). */
async function countedOrganization() {
  const owner = await signUpUser(fixture.graph.client);
  const { id: orgId } = await createOrganization(owner);
  await addMember(owner, orgId, await signUpUser(fixture.graph.client), 'VIEWER');
  await waitForChainCounted(fixture.db, orgId);
  return { owner, orgId };
}

describe('a dashboard in one query', () => {
  test("returns the layout and every metric widget's data, a broken widget with its error and the rest unharmed", async () => {
    const { owner, orgId } = await countedOrganization();
    await saveWidgets(owner, orgId, [
      ...metricWidgets,
      { id: 'notes', type: 'sticky-note', config: { text: 'not a metric' } },
      { id: 'typo', type: 'metric', config: { metric: 'members.cuont' } },
      { id: 'split', type: 'metric', config: { metric: 'members.count', dimension: 'token' } },
    ]);
    const response = await owner.client.request(dashboard, { orgId });
    expect(response.errors).toBeUndefined();
    const data: WidgetData[] = response.data!.dashboardLayout.widgetData;
    expect(data.map((widget) => widget.widgetId)).toEqual(['members', 'joined', 'entries', 'typo', 'split']);
    const [members, joined, entries, typo, split] = data as [WidgetData, WidgetData, WidgetData, WidgetData, WidgetData];
    expect(members).toMatchObject({ chart: 'NUMBER', metric: { name: 'members.count', unit: 'members' }, summary: { value: 2 }, series: [] });
    expect(joined.chart).toBe('BAR');
    expect(joined.series).toHaveLength(1);
    expect(joined.series[0]!.points).toHaveLength(25);
    expect(joined.series[0]!.total).toBe(2);
    expect(entries.series.map((series) => series.key)).toEqual(['INFO']);
    expect(entries.summary?.value).toBeGreaterThanOrEqual(2);
    expect(typo).toMatchObject({ metric: null, summary: null, series: [], error: { code: 'BAD_USER_INPUT' } });
    expect(typo.error?.message).toContain('Unknown metric "members.cuont"');
    expect(split.error).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(split.error?.message).toContain('has no dimension "token"');
  });

  test('costs the same SQL statements with 3 metric widgets as with 30 (every read in one statement)', async () => {
    const { owner, orgId } = await countedOrganization();
    const measure = async (widgets: unknown[]) => {
      fixture.graph.statements.length = 0;
      const response = await owner.client.request(dashboard, { orgId, range: { last: '7d' } });
      expect(response.errors).toBeUndefined();
      expect(response.data!.dashboardLayout.widgetData).toHaveLength(widgets.length);
      return requestStatements(fixture.graph).filter((sql) => sql.includes('analytics.')).length;
    };
    const version = await saveWidgets(owner, orgId, metricWidgets);
    const few = await measure(metricWidgets);
    const many = Array.from({ length: 30 }, (_, index) => ({ ...metricWidgets[index % 3]!, id: `w${index}` }));
    await saveWidgets(owner, orgId, many, version);
    const lots = await measure(many);
    expect(few).toBe(1);
    expect(lots).toBe(few);
  });

  test("another organization's metrics are FORBIDDEN, even asked of analytics directly as an entity", async () => {
    const { orgId } = await countedOrganization();
    const stranger = await signUpUser(fixture.graph.client);
    const query = `query ($representations: [_Any!]!) {
      _entities(representations: $representations) { ... on DashboardLayout { widgetData { widgetId summary { value } } } }
    }`;
    const body = JSON.stringify({
      query,
      variables: { representations: [{ __typename: 'DashboardLayout', orgId, userId: stranger.id, widgets: metricWidgets }] },
    });
    const claims: Claims = { v: 1, actor: { type: 'user', userId: stranger.id }, requestId: 'test', clientIp: null, userAgent: null };
    const response = await fetch(fixture.graph.subgraphs.analytics.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signedClaimsHeaders(developmentSecrets.gatewaySigning, claims, body) },
      body,
    });
    const answer = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
    expect(answer.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    // And through the gateway: metricSummary for a stranger.
    const refused = await stranger.client.request(
      `query ($orgId: ID!) { metricSummary(orgId: $orgId, name: "members.count", range: { last: "1d" }) { value } }`,
      { orgId },
    );
    expect(errorCodes(refused)).toEqual(['FORBIDDEN']);
  });

  test("a member's dashboard shows nobody else: another member's layout does not resolve as theirs", async () => {
    const { owner, orgId } = await countedOrganization();
    const colleague = await signUpUser(fixture.graph.client);
    await addMember(owner, orgId, colleague, 'MEMBER');
    await saveWidgets(owner, orgId, metricWidgets);
    const theirs = await colleague.client.data(dashboard, { orgId });
    expect(theirs.dashboardLayout).toBeNull();
  });
});
