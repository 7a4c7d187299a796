import { Kind, type FragmentDefinitionNode, type SelectionSetNode, type ValidationRule } from 'graphql';
import { operationLimitError } from './operation-limit-error.ts';

/**
 * Refuses an operation with more than `maxRootFields` fields at its top: each root field
 * is its own trip into a subgraph, and many of them in one operation (aliased mutations
 * above all) turn one request into a batch. graphql-armor has no such rule.
 */
export function maxRootFieldsRule(maxRootFields: number): ValidationRule {
  return (context) => ({
    OperationDefinition(operation) {
      const count = countRootFields(operation.selectionSet, (name) => context.getFragment(name));
      if (count > maxRootFields) {
        context.reportError(
          operationLimitError(
            'MAX_ROOT_FIELDS',
            maxRootFields,
            `The operation asks for too many root fields (${count})`,
            operation,
          ),
        );
      }
      // Nothing below the operation matters to this rule.
      return false;
    },
  });
}

/**
 * The fields of a selection set, with fragments (named or inline) expanded where they are
 * spread: a fragment spread twice counts twice. Each fragment is counted once and
 * remembered, so a "fragment bomb" (each fragment spreading the next twice) costs linear
 * time while its count grows as it would when executed. A fragment spread inside itself
 * counts nothing on the way back round: the cycle cannot hang this, and graphql-js refuses
 * the document for it anyway.
 */
export function countRootFields(
  selectionSet: SelectionSetNode,
  fragment: (name: string) => FragmentDefinitionNode | null | undefined,
): number {
  const counted = new Map<string, number>();
  const expanding = new Set<string>();
  const count = (set: SelectionSetNode): number => {
    let total = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        total += 1;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        total += count(selection.selectionSet);
      } else {
        const name = selection.name.value;
        const definition = fragment(name);
        if (!definition || expanding.has(name)) continue;
        let fields = counted.get(name);
        if (fields === undefined) {
          expanding.add(name);
          fields = count(definition.selectionSet);
          expanding.delete(name);
          counted.set(name, fields);
        }
        total += fields;
      }
    }
    return total;
  };
  return count(selectionSet);
}
