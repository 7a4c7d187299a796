import type { GraphQLFieldConfig, GraphQLNamedType, GraphQLSchema } from 'graphql';
import { getDirective } from '@graphql-tools/utils';

/**
 * A `@scopes(anyOf: [[…]])` argument (the same shape as Federation's `@scopes`):
 * the outer list is OR, each inner list is AND. `[["a", "b"], ["c"]]` is satisfied by a and b together, or
 * by c.
 */
export type ScopeRequirement = string[][];

/** The field's own requirement, its parent type's, and its return type's, where declared. */
export function scopeRequirementsOf(
  schema: GraphQLSchema,
  field: GraphQLFieldConfig<unknown, unknown>,
  parentType: GraphQLNamedType,
  returnType: GraphQLNamedType,
): ScopeRequirement[] {
  return [field, parentType, returnType].flatMap((node) => {
    const directive = getDirective(schema, node, 'scopes')?.[0];
    return directive ? [directive.anyOf as ScopeRequirement] : [];
  });
}

/** Whether `held` satisfies every requirement (each one by at least one of its AND-lists). */
export function satisfies(held: readonly string[], requirements: ScopeRequirement[]): boolean {
  return requirements.every((requirement) =>
    requirement.some((allOf) => allOf.every((scope) => held.includes(scope))),
  );
}

/** "tokens:read", "tokens:read and cms:read", "a or b": for messages and descriptions. */
export function describeRequirement(requirement: ScopeRequirement): string {
  return requirement.map((allOf) => allOf.map((scope) => `\`${scope}\``).join(' and ')).join(' or ');
}
