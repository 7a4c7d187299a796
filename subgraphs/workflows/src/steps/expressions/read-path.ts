import type { RunScope } from '../../engine/step-execution.ts';

/** The names an expression or a template starts from. */
export type ScopeRoot = keyof RunScope;

const roots: readonly string[] = ['trigger', 'vars', 'steps'] satisfies ScopeRoot[];

export function isScopeRoot(name: string): name is ScopeRoot {
  return roots.includes(name);
}

/**
 * Whether a value's properties may be read: JSON's objects and arrays only. A class
 * instance (a Date, a Map, a function) has no data a step wrote, only ways into the runtime.
 */
function isReadable(value: unknown): value is object {
  if (Array.isArray(value)) return true;
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * `value[key]` as expressions and templates read it: an own enumerable property of a plain
 * object or an array, else undefined. Never the prototype chain, so `__proto__`,
 * `constructor` or `toString` read as missing instead of handing out the runtime's objects
 * (an array's or a string's `length` is the one exception). A missing value is not an
 * error: `trigger.a.b` where `a` is absent is undefined, as with `?.`.
 */
export function readProperty(value: unknown, key: unknown): unknown {
  if (typeof key !== 'string' && typeof key !== 'number') return undefined;
  // "Is the list empty?" is a common condition: the one non-enumerable property allowed.
  if (String(key) === 'length' && (Array.isArray(value) || typeof value === 'string')) return value.length;
  if (!isReadable(value)) return undefined;
  const name = String(key);
  return Object.prototype.propertyIsEnumerable.call(value, name) ? (value as Record<string, unknown>)[name] : undefined;
}

/** The value at `root.segments…` of the scope (`['data', '0']` under `trigger`), undefined where missing. */
export function readPath(scope: RunScope, root: ScopeRoot, segments: readonly string[]): unknown {
  return segments.reduce<unknown>((value, segment) => readProperty(value, segment), scope[root]);
}
