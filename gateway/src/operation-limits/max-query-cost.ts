import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { Kind, type FragmentDefinitionNode } from 'graphql';
import { operationLimitError } from './operation-limit-error.ts';
import type { AssumedListSizes } from './assumed-list-sizes.ts';
import { queryCost } from './query-cost.ts';

/**
 * Refuses, with 400, an operation whose estimated cost (see `queryCost`) is above
 * `maxCost`. It prices the operation about to run with the variables it was sent with,
 * once Apollo has resolved it and before anything runs or an automatic persisted query
 * is stored.
 *
 * This is a plugin, unlike the other limits, which are validation rules: Apollo remembers
 * a document that passed validation by its text and skips validation the next time, so a
 * rule would price `members(first: $n)` once, with the first request's `$n`, and let the
 * same text through later with any `$n`.
 */
export function maxQueryCostPlugin<TContext extends BaseContext>(limits: {
  maxCost: number;
  defaultListSize: number;
  /** The list sizes the served supergraph declares, as it stands now. */
  assumedListSizes?: () => AssumedListSizes;
}): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          // Apollo has already refused a request whose operation it could not find.
          if (!operation) return;
          const fragments = new Map(
            document.definitions
              .filter(
                (definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION,
              )
              .map((definition) => [definition.name.value, definition]),
          );
          const cost = queryCost(operation, schema, (name) => fragments.get(name), {
            defaultListSize: limits.defaultListSize,
            variables: request.variables,
            ...(limits.assumedListSizes ? { assumedListSizes: limits.assumedListSizes() } : {}),
          });
          if (cost > limits.maxCost) {
            throw operationLimitError(
              'MAX_QUERY_COST',
              limits.maxCost,
              `The operation is too expensive (cost ${cost})`,
              operation,
            );
          }
        },
      };
    },
  };
}
