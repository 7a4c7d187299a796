import jsep, { type BinaryExpression, type CoreExpression, type Expression, type Identifier } from 'jsep';
import type { RunScope } from '../../engine/step-execution.ts';
import { isScopeRoot, readProperty } from './read-path.ts';

/**
 * The value of a condition's expression over a run's scope. The grammar is the one
 * condition-expression.ts accepts on save (literals, `trigger`/`vars`/`steps`, member
 * access, comparisons, `&&` `||` `!`, arithmetic, `?:`); the tree jsep parses is walked by
 * hand, so nothing is ever run as code, and anything outside that grammar throws.
 *
 * Semantics, chosen so a condition means what it reads as and never guesses:
 * - Member access reads own enumerable properties of plain objects and arrays only (see
 *   read-path.ts); a missing one is undefined, not an error.
 * - `===` and `!==` compare strictly. `==` and `!=` are the same except that null and
 *   undefined are equal: JSON has no undefined and an expression cannot name it, so
 *   `vars.x == null` is how one asks whether a value is missing. No other coercion
 *   (`"1" == 1` is false).
 * - `<` `<=` `>` `>=` compare two numbers or two strings; anything else throws.
 * - `+` adds two numbers or joins two strings; `-` `*` `/` `%` and unary `-` `+` take
 *   numbers; a result that is not a finite number (a division by zero) throws, since a
 *   run's values must stay JSON.
 * - `&&`, `||` and `?:` short-circuit and, as in JavaScript, give one of their operands
 *   (`vars.name || "anonymous"`); truthiness is JavaScript's ({@link isTruthy}).
 *
 * @throws Error saying what is wrong (does not parse, a type mismatch, a name outside the scope).
 */
export function evaluateExpression(source: string, scope: RunScope): unknown {
  let tree: Expression;
  try {
    tree = jsep(source);
  } catch (error) {
    throw new Error(`The expression does not parse: ${(error as Error).message}`, { cause: error });
  }
  return evaluate(tree, scope);
}

/**
 * JavaScript's truthiness: false, 0, NaN, '', null and undefined are false; everything
 * else, an empty array or object included, is true. Kept as JavaScript has it because that
 * is what people who write `&&` and `!` expect.
 */
export function isTruthy(value: unknown): boolean {
  return Boolean(value);
}

function evaluate(expression: Expression, scope: RunScope): unknown {
  const node = expression as CoreExpression;
  switch (node.type) {
    case 'Literal':
      return node.value;
    case 'Identifier':
      return identifier(node.name, scope);
    case 'MemberExpression': {
      const object = evaluate(node.object, scope);
      // `a.b` names the property; `a[b]` computes it.
      const key = node.computed ? evaluate(node.property, scope) : (node.property as Identifier).name;
      return readProperty(object, key);
    }
    case 'ConditionalExpression':
      return isTruthy(evaluate(node.test, scope)) ? evaluate(node.consequent, scope) : evaluate(node.alternate, scope);
    case 'UnaryExpression':
      return unary(node.operator, evaluate(node.argument, scope));
    case 'BinaryExpression':
      return binary(node, scope);
    default:
      throw new Error(`The expression uses a ${node.type}, which conditions do not allow`);
  }
}

function identifier(name: string, scope: RunScope): unknown {
  if (isScopeRoot(name)) return scope[name];
  // jsep reads these as literals already; kept in case a jsep option ever changes that.
  if (name === 'true') return true;
  if (name === 'false') return false;
  if (name === 'null') return null;
  throw new Error(`The expression uses \`${name}\`; names start from trigger, vars or steps`);
}

function unary(operator: string, value: unknown): unknown {
  switch (operator) {
    case '!':
      return !isTruthy(value);
    case '-':
      return -number(value, operator);
    case '+':
      return number(value, operator);
    default:
      throw new Error(`The expression uses the operator \`${operator}\`, which conditions do not allow`);
  }
}

function binary(node: BinaryExpression, scope: RunScope): unknown {
  const left = evaluate(node.left, scope);
  // Only the logical operators decide whether the right side is evaluated at all.
  if (node.operator === '&&') return isTruthy(left) ? evaluate(node.right, scope) : left;
  if (node.operator === '||') return isTruthy(left) ? left : evaluate(node.right, scope);
  const right = evaluate(node.right, scope);
  switch (node.operator) {
    case '===':
      return left === right;
    case '!==':
      return left !== right;
    case '==':
      return (left ?? null) === (right ?? null);
    case '!=':
      return (left ?? null) !== (right ?? null);
    case '<':
    case '<=':
    case '>':
    case '>=':
      return compare(node.operator, left, right);
    default:
      return arithmetic(node.operator, left, right);
  }
}

function compare(operator: '<' | '<=' | '>' | '>=', left: unknown, right: unknown): boolean {
  const comparable = (typeof left === 'number' && typeof right === 'number') || (typeof left === 'string' && typeof right === 'string');
  if (!comparable) throw new Error(`\`${operator}\` compares two numbers or two strings, not ${describe(left)} and ${describe(right)}`);
  return ordered(operator, left as number | string, right as number | string);
}

/** `a <op> b` for two values of one type (compare() checked it): numerically, or by UTF-16 code units. */
function ordered<T extends number | string>(operator: '<' | '<=' | '>' | '>=', a: T, b: T): boolean {
  if (operator === '<') return a < b;
  if (operator === '<=') return a <= b;
  if (operator === '>') return a > b;
  return a >= b;
}

function arithmetic(operator: string, left: unknown, right: unknown): unknown {
  if (operator === '+' && typeof left === 'string' && typeof right === 'string') return left + right;
  if (!['+', '-', '*', '/', '%'].includes(operator)) {
    throw new Error(`The expression uses the operator \`${operator}\`, which conditions do not allow`);
  }
  if (typeof left !== 'number' || typeof right !== 'number') {
    const takes = operator === '+' ? 'two numbers or two strings' : 'two numbers';
    throw new Error(`\`${operator}\` takes ${takes}, not ${describe(left)} and ${describe(right)}`);
  }
  if (operator === '+') return finite(left + right);
  if (operator === '-') return finite(left - right);
  if (operator === '*') return finite(left * right);
  if (operator === '/') return finite(left / right);
  return finite(left % right);
}

function number(value: unknown, operator: string): number {
  if (typeof value !== 'number') throw new Error(`\`${operator}\` takes a number, not ${describe(value)}`);
  return value;
}

function finite(value: number): number {
  if (!Number.isFinite(value)) throw new Error('The expression gives a number that is not finite (a division by zero?)');
  return value;
}

/** A value as an error message names it: its kind, and the value itself when it is short. */
function describe(value: unknown): string {
  if (value === undefined) return 'undefined (a missing value)';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `the ${typeof value} ${String(value)}`;
}
