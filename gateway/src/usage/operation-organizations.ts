import { Kind, type OperationDefinitionNode, type ValueNode } from 'graphql';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function valueOf(node: ValueNode, variables: Record<string, unknown>): unknown {
  if (node.kind === Kind.VARIABLE) return variables[node.name.value];
  if (node.kind === Kind.STRING) return node.value;
  return undefined;
}

/**
 * The organizations an operation names: the `orgId` arguments of its root fields (as
 * literals or variables), the way every organization-scoped root field of the graph takes
 * its organization. Only well-formed ids count; whether the caller may reach them is the
 * subgraphs' business, not this count's.
 */
export function operationOrganizations(operation: OperationDefinitionNode, variables: Record<string, unknown> = {}): string[] {
  const found = new Set<string>();
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) continue;
    for (const argument of selection.arguments ?? []) {
      if (argument.name.value !== 'orgId') continue;
      const value = valueOf(argument.value, variables);
      if (typeof value === 'string' && uuidPattern.test(value)) found.add(value.toLowerCase());
    }
  }
  return [...found];
}
