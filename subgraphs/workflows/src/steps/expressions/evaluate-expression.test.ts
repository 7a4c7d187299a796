import { describe, expect, test } from 'vitest';
import type { RunScope } from '../../engine/step-execution.ts';
import { evaluateExpression, isTruthy } from './evaluate-expression.ts';

const scope: RunScope = {
  trigger: { data: { amount: 1500, region: 'EU', tags: ['vip', 'new'], empty: null } },
  vars: { name: 'Ada', count: 0 },
  steps: { check: { output: { ok: true, score: 0.5 } }, 'fetch-user': { output: { id: 'u1' } } },
};
const evaluate = (source: string) => evaluateExpression(source, scope);

describe('evaluating an expression', () => {
  test('reads the trigger, variables and step outputs with comparisons, logic and arithmetic', () => {
    expect(evaluate('trigger.data.amount > 1000 && trigger.data.region == "EU"')).toBe(true);
    expect(evaluate('steps.check.output.ok && steps.check.output.score * 4 === 2')).toBe(true);
    expect(evaluate('trigger.data.tags[1]')).toBe('new');
    expect(evaluate('steps["fetch-user"].output.id')).toBe('u1');
    expect(evaluate('(trigger.data.amount - 500) % 300 / 2')).toBe(50);
    expect(evaluate('-trigger.data.amount + 1')).toBe(-1499);
    expect(evaluate('vars.name + " Lovelace"')).toBe('Ada Lovelace');
    expect(evaluate('vars.name < "Bob"')).toBe(true);
    expect(evaluate('vars.count ? "some" : "none"')).toBe('none');
    expect(evaluate('!steps.check.output.ok')).toBe(false);
  });

  test('gives undefined for a missing value instead of failing', () => {
    expect(evaluate('trigger.nothing.deeper.still')).toBeUndefined();
    expect(evaluate('trigger.data.tags[5]')).toBeUndefined();
    expect(evaluate('vars.name.first')).toBeUndefined();
  });

  test('never reads the prototype chain', () => {
    expect(evaluate('trigger.__proto__')).toBeUndefined();
    expect(evaluate('trigger["__proto__"]')).toBeUndefined();
    expect(evaluate('vars.constructor')).toBeUndefined();
    expect(evaluate('vars["constructor"]')).toBeUndefined();
    expect(evaluate('steps.check.output.toString')).toBeUndefined();
    expect(evaluate('trigger.data.tags.constructor')).toBeUndefined();
    expect(evaluate('vars.constructor.prototype')).toBeUndefined();
  });

  test('reads the length of an array or a string, so a condition can ask whether a list is empty', () => {
    expect(evaluate('trigger.data.tags.length')).toBe(2);
    expect(evaluate('trigger.data.tags.length > 0')).toBe(true);
    expect(evaluate('trigger.data.tags[0].length')).toBe((evaluate('trigger.data.tags[0]') as string).length);
  });

  test('compares strictly, except that == treats a missing value as null', () => {
    expect(evaluate('trigger.data.amount == "1500"')).toBe(false);
    expect(evaluate('trigger.data.amount != "1500"')).toBe(true);
    expect(evaluate('vars.count == false')).toBe(false);
    expect(evaluate('vars.missing == null')).toBe(true);
    expect(evaluate('trigger.data.empty == null')).toBe(true);
    expect(evaluate('vars.missing === null')).toBe(false);
    expect(evaluate('vars.name != null')).toBe(true);
  });

  test('refuses arithmetic and ordering across types, with the types in the message', () => {
    expect(() => evaluate('vars.name - 1')).toThrow('`-` takes two numbers, not the string "Ada" and the number 1');
    expect(() => evaluate('"1" + 1')).toThrow('`+` takes two numbers or two strings, not the string "1" and the number 1');
    expect(() => evaluate('vars.missing > 5')).toThrow('`>` compares two numbers or two strings, not undefined (a missing value) and the number 5');
    expect(() => evaluate('-vars.name')).toThrow('`-` takes a number, not the string "Ada"');
    expect(() => evaluate('trigger.data * 2')).toThrow('not an object and the number 2');
    expect(() => evaluate('trigger.data.amount / vars.count')).toThrow(/not finite/);
  });

  test('short-circuits && || and ?:, giving an operand as JavaScript does', () => {
    // The right side would throw if it were evaluated.
    expect(evaluate('vars.count && vars.name - 1')).toBe(0);
    expect(evaluate('vars.name || vars.name - 1')).toBe('Ada');
    expect(evaluate('vars.count || "default"')).toBe('default');
    expect(evaluate('true ? 1 : vars.name - 1')).toBe(1);
  });

  test('refuses what conditions do not allow, and text that does not parse', () => {
    expect(() => evaluate('globalThis.process')).toThrow('The expression uses `globalThis`; names start from trigger, vars or steps');
    expect(() => evaluate('vars.name.toString()')).toThrow(/CallExpression/);
    expect(() => evaluate('this.x')).toThrow(/ThisExpression/);
    expect(() => evaluate('[1, 2]')).toThrow(/ArrayExpression/);
    expect(() => evaluate('vars.a; vars.b')).toThrow(/Compound/);
    expect(() => evaluate('vars.count | 1')).toThrow('The expression uses the operator `|`, which conditions do not allow');
    expect(() => evaluate('~vars.count')).toThrow('The expression uses the operator `~`, which conditions do not allow');
    expect(() => evaluate('vars.a >')).toThrow(/^The expression does not parse/);
  });
});

describe('truthiness', () => {
  test('is JavaScript\'s: empty text, zero and null are false, empty arrays and objects true', () => {
    expect([false, 0, Number.NaN, '', null, undefined].map(isTruthy)).toEqual([false, false, false, false, false, false]);
    expect([true, 1, 'x', [], {}].map(isTruthy)).toEqual([true, true, true, true, true]);
  });
});
