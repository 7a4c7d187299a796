import { Counter, type Registry } from 'prom-client';

export type PlanOutcome = 'planned' | 'reused';
export type CompletionOutcome = 'completed' | 'shared';
export type UpstreamOutcome = 'opened' | 'joined';

/** What live fan-out saves, for /metrics. */
export interface SubscriptionMetrics {
  plan(outcome: PlanOutcome): void;
  completion(outcome: CompletionOutcome): void;
  upstream(outcome: UpstreamOutcome): void;
}

/**
 * `tnx_gateway_subscription_plans_total{outcome}` (a subscription planned, or its plan
 * reused) and `tnx_gateway_subscription_completions_total{outcome}` (an event completed
 * through the query plan, or a completion shared with another subscriber of its audience)
 * and `tnx_gateway_subscription_upstreams_total{outcome}` (a subscription's stream to its
 * subgraph opened, or one of its audience joined).
 */
export function createSubscriptionMetrics(registry: Registry): SubscriptionMetrics {
  const plans = new Counter({
    name: 'tnx_gateway_subscription_plans_total',
    help: 'Subscriptions by how their query plan was had: planned, or reused from the plan cache.',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const completions = new Counter({
    name: 'tnx_gateway_subscription_completions_total',
    help: 'Subscription events delivered by how they were completed: completed through the query plan, or shared with a subscriber of the same operation, variables and actor.',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const upstreams = new Counter({
    name: 'tnx_gateway_subscription_upstreams_total',
    help: "Subscriptions by how they reached their subgraph: a stream opened for them, or a stream of the same operation, variables and actor joined before it sent anything.",
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  return {
    plan: (outcome) => plans.inc({ outcome }),
    completion: (outcome) => completions.inc({ outcome }),
    upstream: (outcome) => upstreams.inc({ outcome }),
  };
}

/** For engines and planners made without a registry (tests, tools). */
export const uncountedSubscriptions: SubscriptionMetrics = { plan: () => {}, completion: () => {}, upstream: () => {} };
