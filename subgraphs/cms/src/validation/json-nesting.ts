/**
 * Whether a JSON value nests arrays and objects more than `limit` levels deep.
 *
 * Iterative on purpose: JSON.stringify, zod and ajv all recurse, and a hostile value
 * nested a hundred thousand levels (which fits in a request body) would overflow their
 * stack. This is what runs before any of them.
 */
export function jsonNestingExceeds(value: unknown, limit: number): boolean {
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (pending.length > 0) {
    const { value: current, depth } = pending.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth + 1 > limit) return true;
    const children = Array.isArray(current) ? current : Object.values(current);
    for (const child of children) {
      if (typeof child === 'object' && child !== null) pending.push({ value: child, depth: depth + 1 });
    }
  }
  return false;
}
