import type { ApiExample } from './api-example.ts';

const orgId = '8d0c3a52-6f1e-4b7a-9c2d-1e5f7a9b3c40';

/** Examples of the analytics page. */
export const analyticsExamples: ApiExample[] = [
  {
    field: 'Query.metricCatalogue',
    title: 'every metric, with its unit, aggregation and dimensions',
    caller: 'user',
    operation: `query MetricCatalogue {
  metricCatalogue { name description unit aggregation dimensions rawOnly }
}`,
    variables: {},
  },
  {
    field: 'Query.metricSummary',
    title: 'members who joined in the last 30 days, against the 30 days before',
    caller: 'user',
    operation: `query MetricSummary($orgId: ID!, $name: String!, $range: TimeRangeInput!) {
  metricSummary(orgId: $orgId, name: $name, range: $range) {
    metric { name unit } value previousValue change changeRatio
  }
}`,
    variables: { orgId, name: 'members.joined', range: { last: '30d' } },
  },
  {
    field: 'Query.metricSeries',
    title: 'audit entries per day in Berlin time, by severity, as chart series',
    caller: 'user',
    operation: `query MetricSeries($orgId: ID!, $name: String!, $from: DateTime!, $to: DateTime!, $interval: MetricInterval!, $dimension: String, $timeZone: String) {
  metricSeries(orgId: $orgId, name: $name, from: $from, to: $to, interval: $interval, dimension: $dimension, timeZone: $timeZone) {
    key label unit total points { t v }
  }
}`,
    variables: {
      orgId,
      name: 'audit.entries',
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-12-01T00:00:00.000Z',
      interval: 'DAY',
      dimension: 'severity',
      timeZone: 'Europe/Berlin',
    },
  },
  {
    field: 'Query.operationPerformance',
    title: "the organization's ten most used operations last week, with their error rates and percentiles",
    caller: 'user',
    operation: `query OperationPerformance($orgId: ID, $from: DateTime!, $to: DateTime!, $first: Int) {
  operationPerformance(orgId: $orgId, from: $from, to: $to, first: $first) {
    operation count errorCount errorRate failureCount p50 p95 p99
  }
}`,
    variables: { orgId, from: '2026-11-23T00:00:00.000Z', to: '2026-11-30T00:00:00.000Z', first: 10 },
  },
  {
    field: 'Query.serviceLevel',
    title: "the organization's service level over November: fast share, availability and error budget left",
    caller: 'user',
    operation: `query ServiceLevel($orgId: ID, $from: DateTime!, $to: DateTime!) {
  serviceLevel(orgId: $orgId, from: $from, to: $to) {
    requests latencyThresholdMs fastRatio p95 failures availability availabilityTarget errorBudgetRemaining
  }
}`,
    variables: { orgId, from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' },
  },
  {
    field: 'Mutation.trackEvent',
    title: 'a visitor viewing a published page (no sign-in needed)',
    caller: 'anonymous',
    operation: `mutation TrackEvent($input: TrackEventInput!) {
  trackEvent(input: $input)
}`,
    variables: { input: { name: 'page_view', orgSlug: 'acme', pageSlug: 'pricing', visitorId: 'v-5f2c9a' } },
  },
  {
    field: 'Subscription.metricUpdated',
    title: 'watching the member count and the audit entries change live',
    caller: 'user',
    operation: `subscription MetricUpdated($orgId: ID!, $names: [String!]!) {
  metricUpdated(orgId: $orgId, names: $names) { name at hourValue dayValue level }
}`,
    variables: { orgId, names: ['members.count', 'audit.entries'] },
  },
];
