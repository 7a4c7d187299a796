import { maxDepthRule as armorMaxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import type { ValidationRule } from 'graphql';
import { operationLimitError } from './operation-limit-error.ts';

/**
 * Refuses an operation whose fields nest deeper than `maxDepth`. Every field is a level,
 * leaves included: `{ me { id } }` has depth 2. Counting is graphql-armor's; fragments
 * (named or inline, however often spread) are expanded where they are used, so hiding a
 * level in a fragment gains nothing and spreading one costs no extra level. A fragment
 * cycle cannot hang it (armor notes each fragment on first visit), and graphql-js refuses
 * the cycle itself.
 */
export function maxDepthRule(maxDepth: number): ValidationRule {
  return armorMaxDepthRule({
    n: maxDepth,
    // Without this, armor counts a spread as one or two levels of its own, refusing a
    // fragment-based query that is no deeper than the same query written inline.
    flattenFragments: true,
    // Sandbox's schema query nests deeper than any real operation; introspection is off in
    // production, and it never reaches a subgraph.
    ignoreIntrospection: true,
    // Report our own error instead of armor's "Syntax Error: …" (it is not a syntax error).
    propagateOnRejection: false,
    onReject: [
      (context) =>
        context?.reportError(
          operationLimitError('MAX_QUERY_DEPTH', maxDepth, 'The operation is nested too deeply'),
        ),
    ],
  });
}
