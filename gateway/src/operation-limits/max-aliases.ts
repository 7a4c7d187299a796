import { maxAliasesRule as armorMaxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import type { ValidationRule } from 'graphql';
import { operationLimitError } from './operation-limit-error.ts';

/**
 * Refuses an operation with more than `maxAliases` aliased fields: aliases are how one
 * request asks for the same expensive field (or mutation) hundreds of times. Counting is
 * graphql-armor's: fragments are expanded, each spread counting its aliases again; an
 * alias on `__typename` is free.
 */
export function maxAliasesRule(maxAliases: number): ValidationRule {
  return armorMaxAliasesRule({
    n: maxAliases,
    // Report our own error instead of armor's "Syntax Error: …" (it is not a syntax error).
    propagateOnRejection: false,
    onReject: [
      (context) =>
        context?.reportError(operationLimitError('MAX_ALIASES', maxAliases, 'The operation uses too many aliases')),
    ],
  });
}
