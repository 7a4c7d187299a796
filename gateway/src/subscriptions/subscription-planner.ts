import { Supergraph, operationFromDocument, type Schema } from '@apollo/federation-internals';
import { buildOperationContext } from '@apollo/gateway';
import { QueryPlanner, type FetchNode, type PlanNode } from '@apollo/query-planner';
import { print, type DocumentNode, type GraphQLSchema } from 'graphql';
import { LRUCache } from 'lru-cache';
import { uncountedSubscriptions, type SubscriptionMetrics } from './subscription-metrics.ts';

export interface SubscriptionPlan {
  /** The subscription itself, run by the subgraph that owns the field. */
  primary: FetchNode;
  /** What completes each event with other subgraphs' fields (absent when nothing does). */
  rest: PlanNode | undefined;
  /** The operation as text: what the plan was made for, and its cache key. */
  query: string;
  /** What the gateway's executor needs to know of the operation to complete an event. */
  operationContext: ReturnType<typeof buildOperationContext>;
}

export interface SubscriptionPlanner {
  /** The graph clients see (graphql-js), for validation. */
  apiSchema: GraphQLSchema;
  /** The same, as federation's own model, which the gateway's executor wants. */
  federationApiSchema: Schema;
  supergraphSchema: GraphQLSchema;
  plan(document: DocumentNode, operationName: string | null | undefined): SubscriptionPlan;
}

/** Distinct subscription operations whose plans are kept, per supergraph. */
const plansKept = 1_000;

/**
 * Plans subscriptions with Apollo's own query planner, built from the same supergraph the
 * gateway serves. @apollo/gateway plans a subscription (a primary fetch on the owning
 * subgraph, then the rest of the plan) but refuses to execute it; we execute it
 * ourselves (see subscribe.ts), using the planner's plan as it is.
 *
 * Plans are kept by operation text (and name) in a bounded LRU: a thousand editors
 * opening the same `pageEvents` subscription are planned once. The cache belongs to this
 * planner, so a reloaded supergraph (a new planner) plans afresh.
 */
export function createSubscriptionPlanner(
  supergraphSdl: string,
  metrics: Pick<SubscriptionMetrics, 'plan'> = uncountedSubscriptions,
): SubscriptionPlanner {
  const supergraph = Supergraph.build(supergraphSdl);
  const federationApiSchema = supergraph.apiSchema();
  const planner = new QueryPlanner(supergraph);
  const apiSchema = federationApiSchema.toGraphQLJSSchema();
  const plans = new LRUCache<string, SubscriptionPlan>({ max: plansKept });
  return {
    apiSchema,
    federationApiSchema,
    supergraphSchema: supergraph.schema.toGraphQLJSSchema(),
    plan(document, operationName) {
      const query = print(document);
      const key = `${operationName ?? ''}\n${query}`;
      const known = plans.get(key);
      if (known) {
        metrics.plan('reused');
        return known;
      }
      const operation = operationFromDocument(federationApiSchema, document, {
        ...(operationName ? { operationName } : {}),
      });
      const plan = planner.buildQueryPlan(operation);
      if (plan.node?.kind !== 'Subscription') {
        throw new Error(`expected a subscription plan, got ${plan.node?.kind ?? 'nothing'}`);
      }
      const made: SubscriptionPlan = {
        primary: plan.node.primary,
        rest: plan.node.rest,
        query,
        operationContext: buildOperationContext({
          schema: apiSchema,
          operationDocument: document,
          ...(operationName ? { operationName } : {}),
        }),
      };
      plans.set(key, made);
      metrics.plan('planned');
      return made;
    },
  };
}
