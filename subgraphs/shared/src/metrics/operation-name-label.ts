/** The label of operations that have no name. */
export const anonymousOperation = 'anonymous';
/** The label of named operations beyond the cap. */
export const otherOperations = 'other';

/**
 * Bounds the `operation_name` label: the first `cap` distinct names seen keep their own
 * series; later ones, and names that are not plain GraphQL names or are overly long,
 * fold into `other`; unnamed operations are `anonymous`. A client sending a new name on
 * every request cannot grow the number of series past the cap.
 */
export function operationNameLabeler(cap: number): (name: string | null | undefined) => string {
  const kept = new Set<string>();
  return (name) => {
    if (!name) return anonymousOperation;
    if (kept.has(name)) return name;
    if (kept.size >= cap || !usableOperationName(name)) return otherOperations;
    kept.add(name);
    return name;
  };
}

/** Whether a name may be a label of its own: a GraphQL name of at most 100 characters. */
export function usableOperationName(name: string): boolean {
  return name.length <= 100 && /^[_A-Za-z][_0-9A-Za-z]*$/.test(name);
}
