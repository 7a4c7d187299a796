import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { collectProcessWideGauges } from './process-wide-sources.ts';

/** Seconds; from a cached answer (a few ms) to the gateway's subgraph timeout. */
const durationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2.5, 5, 10];

function definePlatformMetrics(registry: Registry) {
  const registers = [registry];
  return {
    registry,
    requestDuration: new Histogram({
      name: 'tnx_graphql_request_duration_seconds',
      help: 'GraphQL operations answered, by service, operation name (bounded: unnamed operations are "anonymous", names past the cap "other"), operation type and outcome (success, error: the answer holds errors, refused: the operation never ran).',
      labelNames: ['service', 'operation_name', 'operation_type', 'outcome'] as const,
      buckets: durationBuckets,
      registers,
    }),
    subgraphFetchDuration: new Histogram({
      name: 'tnx_subgraph_fetch_duration_seconds',
      help: "The gateway's fetches from subgraphs, by subgraph and outcome (success, error: answered with errors, failure: no usable answer).",
      labelNames: ['subgraph', 'outcome'] as const,
      buckets: durationBuckets,
      registers,
    }),
    graphqlErrors: new Counter({
      name: 'tnx_graphql_errors_total',
      help: 'GraphQL errors returned, by service and extensions.code.',
      labelNames: ['service', 'code'] as const,
      registers,
    }),
    rateLimitRefusals: new Counter({
      name: 'tnx_rate_limit_refusals_total',
      help: 'Uses refused by a @rateLimit, by service and field (Type.field).',
      labelNames: ['service', 'field'] as const,
      registers,
    }),
    operationLimitRefusals: new Counter({
      name: 'tnx_operation_limit_refusals_total',
      help: "Operations the gateway refused before planning them, by the limit they broke (depth, aliases, root fields, directives, tokens, cost, batch size).",
      labelNames: ['limit'] as const,
      registers,
    }),
    activeSubscriptions: new Gauge({
      name: 'tnx_active_subscriptions',
      help: 'Subscriptions open on the gateway now, by transport (websocket, sse).',
      labelNames: ['transport'] as const,
      registers,
    }),
    websocketConnections: new Gauge({
      name: 'tnx_websocket_connections',
      help: 'WebSocket connections open on the gateway now.',
      registers,
    }),
    eventsDelivered: new Counter({
      name: 'tnx_subscription_events_delivered_total',
      help: 'Subscription events sent to clients by the gateway.',
      registers,
    }),
    queueOverflows: new Counter({
      name: 'tnx_subscriber_queue_overflows_total',
      help: "Subscribers ended because they did not read their events fast enough (their queue overflowed).",
      registers,
    }),
    jobDuration: new Histogram({
      name: 'tnx_job_duration_seconds',
      help: 'Background job attempts, by queue and outcome (success, failure).',
      labelNames: ['queue', 'outcome'] as const,
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300],
      registers,
    }),
    jobFailures: new Counter({
      name: 'tnx_job_failures_total',
      help: 'Failed background job attempts, by queue; final: whether it was the last attempt.',
      labelNames: ['queue', 'final'] as const,
      registers,
    }),
  };
}

export type PlatformMetrics = ReturnType<typeof definePlatformMetrics>;

const byRegistry = new WeakMap<Registry, PlatformMetrics>();
/** Registries made with metrics off (METRICS=off): their metrics record nothing. */
const disabled = new WeakSet<Registry>();

/** Metrics that accept every call and keep nothing. */
function discardingMetrics(registry: Registry): PlatformMetrics {
  const ignore = () => {};
  const metric = { inc: ignore, dec: ignore, set: ignore, observe: ignore, startTimer: () => () => 0 };
  const names = Object.keys(definePlatformMetrics(new Registry())).filter((name) => name !== 'registry');
  return { registry, ...Object.fromEntries(names.map((name) => [name, metric])) } as unknown as PlatformMetrics;
}

/**
 * The graph's metrics in `registry`, defined once per registry: every service of one
 * process (`pnpm start`) records into the same registry, so one `/metrics` covers them
 * all, while two graphs in one process (tests) keep theirs apart.
 */
export function platformMetrics(registry: Registry): PlatformMetrics {
  let metrics = byRegistry.get(registry);
  if (!metrics) {
    metrics = disabled.has(registry) ? discardingMetrics(registry) : definePlatformMetrics(registry);
    byRegistry.set(registry, metrics);
  }
  return metrics;
}

/**
 * A registry for one process or one graph (an empty one that records nothing when
 * `enabled` is false): the platform's metrics. `/metrics` serves it with the process's
 * own (see processRegistry).
 */
export function createMetricsRegistry(options: { enabled?: boolean } = {}): Registry {
  const registry = new Registry();
  if (options.enabled === false) {
    disabled.add(registry);
    return registry;
  }
  platformMetrics(registry);
  return registry;
}

let processMetrics: Registry | undefined;

/**
 * The process's metrics (CPU, memory, event loop, GC, handles: prom-client's defaults) and
 * what the process holds whichever service opened it (job queues, database pools, Redis
 * connections): one registry per process, made on first use. Its collectors (an event
 * loop delay monitor, a GC observer) live as long as the process, so they are made once,
 * not once per graph (a test process starts hundreds).
 */
export function processRegistry(): Registry {
  if (!processMetrics) {
    processMetrics = new Registry();
    collectDefaultMetrics({ register: processMetrics });
    collectProcessWideGauges(processMetrics);
  }
  return processMetrics;
}

/** Whether `registry` records (it was not made with metrics off). */
export function metricsEnabled(registry: Registry): boolean {
  return !disabled.has(registry);
}
