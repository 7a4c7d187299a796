import { maxDirectivesRule as armorMaxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import type { ValidationRule } from 'graphql';
import { operationLimitError } from './operation-limit-error.ts';

/**
 * Refuses an operation that uses more than `maxDirectives` directives (`@include`,
 * `@skip`…): thousands of them on one field cost the server work before anything runs.
 * Counting is graphql-armor's: fragments are expanded, each spread counting again.
 */
export function maxDirectivesRule(maxDirectives: number): ValidationRule {
  return armorMaxDirectivesRule({
    n: maxDirectives,
    // Report our own error instead of armor's "Syntax Error: …" (it is not a syntax error).
    propagateOnRejection: false,
    onReject: [
      (context) =>
        context?.reportError(
          operationLimitError('MAX_DIRECTIVES', maxDirectives, 'The operation uses too many directives'),
        ),
    ],
  });
}
