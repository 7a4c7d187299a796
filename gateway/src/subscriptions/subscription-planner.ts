import { Supergraph, operationFromDocument, type Schema } from '@apollo/federation-internals';
import { QueryPlanner, type FetchNode, type PlanNode } from '@apollo/query-planner';
import type { DocumentNode, GraphQLSchema } from 'graphql';

export interface SubscriptionPlan {
  /** The subscription itself, run by the subgraph that owns the field. */
  primary: FetchNode;
  /** What completes each event with other subgraphs' fields (absent when nothing does). */
  rest: PlanNode | undefined;
}

export interface SubscriptionPlanner {
  /** The graph clients see (graphql-js), for validation. */
  apiSchema: GraphQLSchema;
  /** The same, as federation's own model, which the gateway's executor wants. */
  federationApiSchema: Schema;
  supergraphSchema: GraphQLSchema;
  plan(document: DocumentNode, operationName: string | null | undefined): SubscriptionPlan;
}

/**
 * Plans subscriptions with Apollo's own query planner, built from the same supergraph the
 * gateway serves. @apollo/gateway plans a subscription (a primary fetch on the owning
 * subgraph, then the rest of the plan) but refuses to execute it; we execute it
 * ourselves (see subscribe.ts), using the planner's plan as it is.
 */
export function createSubscriptionPlanner(supergraphSdl: string): SubscriptionPlanner {
  const supergraph = Supergraph.build(supergraphSdl);
  const federationApiSchema = supergraph.apiSchema();
  const planner = new QueryPlanner(supergraph);
  return {
    apiSchema: federationApiSchema.toGraphQLJSSchema(),
    federationApiSchema,
    supergraphSchema: supergraph.schema.toGraphQLJSSchema(),
    plan(document, operationName) {
      const operation = operationFromDocument(federationApiSchema, document, {
        ...(operationName ? { operationName } : {}),
      });
      const plan = planner.buildQueryPlan(operation);
      if (plan.node?.kind !== 'Subscription') {
        throw new Error(`expected a subscription plan, got ${plan.node?.kind ?? 'nothing'}`);
      }
      return { primary: plan.node.primary, rest: plan.node.rest };
    },
  };
}
