import { executeQueryPlan, type GraphQLDataSource, type ServiceMap } from '@apollo/gateway';
import type { FetchNode, PlanNode, QueryPlan } from '@apollo/query-planner';
import type { ExecutionResult } from 'graphql';
import type { SubscriptionPlan, SubscriptionPlanner } from './subscription-planner.ts';

/** The name under which the event itself takes the primary fetch's place in the plan. */
const eventSourceName = '__subscription_event__';

/**
 * Completes one event with the fields other subgraphs own, by the gateway's own executor:
 * the plan is the planner's, with its primary fetch answered by the event instead of a
 * subgraph, followed by the rest (entity fetches, merging, shaping to the client's
 * selection, aliases and all). This is how Apollo Router and Hive Gateway do it too.
 */
export async function completeEvent(options: {
  plan: SubscriptionPlan;
  event: Record<string, unknown>;
  planner: SubscriptionPlanner;
  serviceMap: ServiceMap;
  requestContext: Parameters<typeof executeQueryPlan>[2];
  operationContext: Parameters<typeof executeQueryPlan>[3];
}): Promise<ExecutionResult> {
  const eventSource: GraphQLDataSource = { process: async () => ({ data: options.event }) };
  const primary: FetchNode = { ...options.plan.primary, serviceName: eventSourceName };
  const node: PlanNode = options.plan.rest ? { kind: 'Sequence', nodes: [primary, options.plan.rest] } : primary;
  const queryPlan: QueryPlan = { kind: 'QueryPlan', node };
  const result = await executeQueryPlan(
    queryPlan,
    { ...options.serviceMap, [eventSourceName]: eventSource },
    options.requestContext,
    options.operationContext,
    options.planner.supergraphSchema,
    options.planner.federationApiSchema,
  );
  return { ...(result.data !== undefined ? { data: result.data } : {}), ...(result.errors ? { errors: result.errors } : {}) };
}
