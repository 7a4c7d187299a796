/**
 * Values added up by key between two reports, for at most `maxKeys` keys: a value for a
 * new key beyond them is dropped (and counted in `dropped`), so memory and the report stay
 * bounded however many organizations, operations and minutes arrive, and however long
 * reports keep failing. `merge` adds a value into another (it may change and return `into`).
 */
export function createBoundedTally<V>(options: { maxKeys: number; merge: (into: V, from: V) => V }) {
  let values = new Map<string, V>();
  let dropped = 0;

  const add = (key: string, value: V): void => {
    const existing = values.get(key);
    if (existing !== undefined) {
      values.set(key, options.merge(existing, value));
    } else if (values.size >= options.maxKeys) {
      dropped += 1;
    } else {
      values.set(key, value);
    }
  };

  return {
    add,
    /** Hands over everything added so far and starts afresh. */
    take(): Map<string, V> {
      const taken = values;
      values = new Map();
      return taken;
    },
    /** Adds back values that could not be reported, within the same bound. */
    restore(entries: Iterable<readonly [string, V]>): void {
      for (const [key, value] of entries) add(key, value);
    },
    /** How many values were dropped since the last call. */
    takeDropped(): number {
      const count = dropped;
      dropped = 0;
      return count;
    },
  };
}
