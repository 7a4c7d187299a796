/**
 * The metrics the platform computes, each from real rows of a domain (see `source`).
 * Names, units and dimensions are a contract with dashboard clients: add, never rename.
 */

/** How a metric's events add up over a period. */
export type MetricAggregation = 'SUM' | 'COUNT' | 'GAUGE' | 'DISTINCT' | 'HISTOGRAM';

export interface MetricDefinition {
  name: string;
  description: string;
  /** What one unit of the value is, for axis labels: `members`, `USD`, `ms`… */
  unit: string;
  aggregation: MetricAggregation;
  /** The dimensions the metric can be split by (at most one per query). */
  dimensions: readonly string[];
  /** Where the numbers come from, for people. */
  source: string;
}

const definitions = [
  {
    name: 'members.count',
    description: "The organization's members: the level at the end of each period.",
    unit: 'members',
    aggregation: 'GAUGE',
    dimensions: [],
    source: 'audit trail: organization.created (the owner), member.added, member.removed, member.left',
  },
  {
    name: 'members.joined',
    description: 'Members who joined (the owner of a new organization included).',
    unit: 'members',
    aggregation: 'COUNT',
    dimensions: [],
    source: 'audit trail: organization.created, member.added',
  },
  {
    name: 'tokens.created',
    description: 'Tokens defined, by the chain they are for.',
    unit: 'tokens',
    aggregation: 'COUNT',
    dimensions: ['chain'],
    source: 'audit trail: token.created',
  },
  {
    name: 'tokens.deployed',
    description: 'Tokens whose deployment transaction was confirmed on their chain.',
    unit: 'tokens',
    aggregation: 'COUNT',
    dimensions: ['token'],
    source: 'audit trail: token.deployed',
  },
  {
    name: 'tokens.transfers',
    description: 'Transfers, mints and burns read from the chains by the indexer, by token.',
    unit: 'transfers',
    aggregation: 'COUNT',
    dimensions: ['token', 'kind'],
    source: "tokens indexer: token_transactions with a block",
  },
  {
    name: 'tokens.volume',
    description: 'Amount moved by those transfers, in whole tokens (the raw amount over 10^decimals), by token.',
    unit: 'tokens',
    aggregation: 'SUM',
    dimensions: ['token'],
    source: "tokens indexer: token_transactions with a block",
  },
  {
    name: 'tokens.holders',
    description: 'Addresses holding a positive balance, by token (summed over tokens without a dimension).',
    unit: 'holders',
    aggregation: 'GAUGE',
    dimensions: ['token'],
    source: 'tokens indexer: token_balances, sampled when a token has new transfers',
  },
  {
    name: 'ai.messages',
    description: 'Messages members sent to the assistant.',
    unit: 'messages',
    aggregation: 'COUNT',
    dimensions: [],
    source: 'audit trail: ai.message_sent',
  },
  {
    name: 'ai.tokens',
    description: "Prompt plus completion tokens the assistant's provider counted, by model.",
    unit: 'tokens',
    aggregation: 'SUM',
    dimensions: ['model'],
    source: "ai usage counters (the provider's own counts)",
  },
  {
    name: 'ai.cost',
    description: "Estimated cost of the assistant's provider use, by model, from the configured price per 1,000 tokens.",
    unit: 'USD',
    aggregation: 'SUM',
    dimensions: ['model'],
    source: 'ai usage counters',
  },
  {
    name: 'cms.pages.published',
    description: 'Times pages were published.',
    unit: 'publications',
    aggregation: 'COUNT',
    dimensions: ['page'],
    source: 'audit trail: page.published',
  },
  {
    name: 'cms.page.views',
    description: 'Views of published pages, by page.',
    unit: 'views',
    aggregation: 'COUNT',
    dimensions: ['page'],
    source: 'trackEvent: page_view',
  },
  {
    name: 'cms.page.visitors',
    description:
      'Distinct visitors (by `visitorId`) of published pages, by page. Counted from raw events, so only over the retention period.',
    unit: 'visitors',
    aggregation: 'DISTINCT',
    dimensions: ['page'],
    source: 'trackEvent: page_view with a visitorId',
  },
  {
    name: 'cms.edits',
    description: 'Edits accepted by live collaborative editing, by page.',
    unit: 'edits',
    aggregation: 'COUNT',
    dimensions: ['page'],
    source: 'audit trail: page.edited',
  },
  {
    name: 'webhooks.deliveries',
    description: 'Webhook delivery attempts, by outcome: `delivered` (2xx), `rejected` (another status), `unreachable` (no answer).',
    unit: 'attempts',
    aggregation: 'COUNT',
    dimensions: ['outcome'],
    source: 'integrations: webhook_attempts',
  },
  {
    name: 'webhooks.latency',
    description: "How long receivers took to answer webhook deliveries, by outcome (a histogram: ask for p50, p95, p99).",
    unit: 'ms',
    aggregation: 'HISTOGRAM',
    dimensions: ['outcome'],
    source: 'integrations: webhook_attempts',
  },
  {
    name: 'api.requests',
    description:
      'GraphQL operations the gateway answered for the organization, by credential: `user`, `api_key`, `oauth_app`, `workflow` (a workflow\'s `graphql` step). A program\'s operation counts for its organization, a user\'s for each organization its root fields\' `orgId` arguments name.',
    unit: 'requests',
    aggregation: 'COUNT',
    dimensions: ['credential'],
    source: "gateway: each operation's credential and organization",
  },
  {
    name: 'api.latency',
    description:
      "How long the gateway took to answer GraphQL operations, by operation name (a histogram: ask for p50, p95, p99). Counted for organizations as `api.requests` is; unnamed operations are `anonymous`, names past an organization's first 50 of an hour `other`.",
    unit: 'ms',
    aggregation: 'HISTOGRAM',
    dimensions: ['operation'],
    source: "gateway: each operation's duration, reported per minute in histogram buckets",
  },
  {
    name: 'api.errors',
    description: 'GraphQL operations the gateway answered with at least one error (any code), by operation name.',
    unit: 'operations',
    aggregation: 'COUNT',
    dimensions: ['operation'],
    source: "gateway: each operation's errors",
  },
  {
    name: 'api.failures',
    description:
      "GraphQL operations the gateway answered with a server-side failure (INTERNAL_SERVER_ERROR: an unexpected error, or a subgraph unreachable, failing or too slow), by operation name: what counts against availability.",
    unit: 'operations',
    aggregation: 'COUNT',
    dimensions: ['operation'],
    source: "gateway: each operation's errors",
  },
  {
    name: 'audit.entries',
    description: "Entries recorded in the organization's audit trail, by severity.",
    unit: 'entries',
    aggregation: 'COUNT',
    dimensions: ['severity'],
    source: 'audit trail: every entry',
  },
  {
    name: 'security.events',
    description: 'Security events (audit entries of severity WARNING or CRITICAL), by kind (their action, e.g. `access.denied`).',
    unit: 'events',
    aggregation: 'COUNT',
    dimensions: ['kind'],
    source: 'audit trail: WARNING and CRITICAL entries',
  },
  {
    name: 'events.tracked',
    description: 'Custom events sent with trackEvent, by name.',
    unit: 'events',
    aggregation: 'COUNT',
    dimensions: ['name'],
    source: 'trackEvent: any name but page_view',
  },
] as const satisfies readonly MetricDefinition[];

export type MetricName = (typeof definitions)[number]['name'];

/** Every metric, in the order the catalogue lists them. */
export const metricCatalogue: readonly MetricDefinition[] = definitions;

const byName = new Map<string, MetricDefinition>(metricCatalogue.map((metric) => [metric.name, metric]));

/** The definition of a metric by its name, or undefined. */
export function findMetric(name: string): MetricDefinition | undefined {
  return byName.get(name);
}

/** Whether a metric is counted from raw events rather than rollups (only over the retention period). */
export function isRawOnly(metric: MetricDefinition): boolean {
  return metric.aggregation === 'DISTINCT';
}
