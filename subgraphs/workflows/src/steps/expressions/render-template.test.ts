import { describe, expect, test } from 'vitest';
import type { RunScope } from '../../engine/step-execution.ts';
import { renderTemplate, renderValue } from './render-template.ts';

const scope: RunScope = {
  trigger: { user: { name: 'Ada', email: 'ada@example.com' }, items: [{ sku: 'A1', qty: 2 }], note: null },
  vars: { total: 42, approved: true, region: 'EU' },
  steps: { 'fetch-user': { output: { id: 'u1', roles: ['admin'] } } },
};

describe('rendering a template', () => {
  test('inserts strings as they are and other values as JSON', () => {
    expect(renderTemplate('Hello {{ trigger.user.name }}, total {{vars.total}} ({{ vars.approved }})', scope)).toBe('Hello Ada, total 42 (true)');
    expect(renderTemplate('{{ trigger.items.0.sku }} x{{ trigger.items.0.qty }}', scope)).toBe('A1 x2');
    expect(renderTemplate('roles: {{ steps.fetch-user.output.roles }}', scope)).toBe('roles: ["admin"]');
  });

  test('inserts nothing for null and missing values', () => {
    expect(renderTemplate('[{{ trigger.note }}][{{ vars.nothing }}][{{ trigger.items.9.sku }}]', scope)).toBe('[][][]');
  });

  test('never reads the prototype chain', () => {
    expect(renderTemplate('[{{ trigger.__proto__ }}][{{ vars.constructor }}][{{ steps.fetch-user.output.toString }}]', scope)).toBe('[][][]');
    expect(renderTemplate('[{{ vars.constructor.prototype }}]', scope)).toBe('[]');
  });

  test('leaves braces that are not a path from trigger, vars or steps as written', () => {
    expect(renderTemplate('{{ user.name }} {{ vars.total + 1 }} {{}}', scope)).toBe('{{ user.name }} {{ vars.total + 1 }} {{}}');
  });

  test('escapes only the inserted values', () => {
    const upper = { escape: (text: string) => text.toUpperCase() };
    expect(renderTemplate('Dear {{ trigger.user.name }}', scope, upper)).toBe('Dear ADA');
  });
});

describe('rendering a value', () => {
  test('keeps the type of a string that is exactly one template', () => {
    expect(renderValue('{{ vars.total }}', scope)).toBe(42);
    expect(renderValue(' {{vars.approved}} ', scope)).toBe(' true ');
    expect(renderValue('{{ steps.fetch-user.output }}', scope)).toEqual({ id: 'u1', roles: ['admin'] });
    expect(renderValue('{{ vars.nothing }}', scope)).toBeNull();
  });

  test('renders every string of a JSON value, not its keys', () => {
    const input = { to: '{{ trigger.user.email }}', '{{ vars.region }}': ['{{ vars.total }}', 'n={{ vars.total }}', 7, false, null] };
    expect(renderValue(input, scope)).toEqual({ to: 'ada@example.com', '{{ vars.region }}': [42, 'n=42', 7, false, null] });
  });

  test('gives null, never what the prototype chain holds, for a path through it', () => {
    expect(renderValue({ a: '{{ trigger.__proto__ }}', b: '{{ vars.constructor }}', c: '{{ steps.fetch-user.output.toString }}' }, scope)).toEqual({ a: null, b: null, c: null });
  });
});
