import { describe, expect, test } from 'vitest';
import { conditionExpressionProblem } from './condition-expression.ts';
import { stepGraphProblem, type StepLinks } from './step-graph.ts';
import { stepInputProblem } from './step-inputs.ts';
import { cronProblem, isIanaTimeZone } from './trigger.ts';
import { graphqlOperationProblem, parseWorkflowDefinition } from './workflow-definition.ts';

const step = (key: string, next: string | null = null, branches: StepLinks['branches'] = null): StepLinks => ({ key, next, branches });

describe('condition expressions', () => {
  test('read the trigger, variables and steps with comparisons, logic and arithmetic', () => {
    for (const source of ['trigger.data.amount > 1000 && vars.region == "EU"', '!(steps.check.output.ok) || trigger["data"].n % 2 === 0', 'true', 'vars.a ? 1 : 2']) {
      expect(conditionExpressionProblem(source), source).toBeNull();
    }
  });

  test('refuse calls, other names, assignments and text that does not parse', () => {
    expect(conditionExpressionProblem('vars.list.map(x)')).toBe('calls a function, which conditions do not allow');
    expect(conditionExpressionProblem('globalThis.x')).toBe('uses `globalThis`; names start from trigger, vars or steps');
    expect(conditionExpressionProblem('this.x')).toMatch(/ThisExpression/);
    expect(conditionExpressionProblem('[1, 2]')).toMatch(/ArrayExpression/);
    expect(conditionExpressionProblem('vars.a; vars.b')).toBe('holds more than one expression');
    expect(conditionExpressionProblem('vars.a >')).toMatch(/^does not parse/);
    expect(conditionExpressionProblem('vars[constructor]')).toBe('uses `constructor`; names start from trigger, vars or steps');
  });
});

describe('the step graph', () => {
  test('accepts a chain and a diamond of branches', () => {
    expect(stepGraphProblem([step('a', 'b'), step('b')])).toBeNull();
    expect(stepGraphProblem([step('a', null, { ifTrue: 'b', ifFalse: 'c' }), step('b', 'd'), step('c', 'd'), step('d')])).toBeNull();
  });

  test('names the step and field of a repeated key, a dangling reference and a cycle', () => {
    expect(stepGraphProblem([step('a'), step('a')])).toEqual({ index: 1, field: 'key', message: 'repeats the key of steps[0]' });
    expect(stepGraphProblem([step('a', null, { ifTrue: null, ifFalse: 'z' })])).toEqual({
      index: 0,
      field: 'branches.ifFalse',
      message: 'names no step of this workflow (z)',
    });
    expect(stepGraphProblem([step('a', 'a')])).toMatchObject({ index: 0, field: 'next' });
    expect(stepGraphProblem([step('a', 'b'), step('b', null, { ifTrue: 'c', ifFalse: null }), step('c', 'a')])).toEqual({
      index: 2,
      field: 'next',
      message: 'leads back to a, which makes a cycle',
    });
  });
});

describe('step inputs', () => {
  test('are checked against their JSON Schema, in words naming the field', () => {
    expect(stepInputProblem('sendEmail', { to: 'x', subject: 's', body: 'b' })).toEqual({ path: '.to', message: 'must be an email' });
    expect(stepInputProblem('sendEmail', { to: 'a@example.com', subject: 's', body: 'b', cc: 'c' })).toEqual({ path: '.cc', message: 'is not a field of this step type' });
    expect(stepInputProblem('httpRequest', { method: 'TRACE', url: 'https://x.example' })).toEqual({ path: '.method', message: 'must be one of GET, POST, PUT, PATCH, DELETE' });
    expect(stepInputProblem('httpRequest', { method: 'GET', url: 'ftp://x.example' })).toMatchObject({ path: '.url' });
    expect(stepInputProblem('delay', { duration: 'PT5M', until: '2027-01-01T00:00:00Z' })).toEqual({ path: '', message: 'must have exactly one of duration or until' });
    expect(stepInputProblem('delay', { until: 'tomorrow' })).toEqual({ path: '.until', message: 'must be a date and time (ISO 8601)' });
    expect(stepInputProblem('setVariables', { variables: { '1st': 1 } })).toMatchObject({ path: '.variables.1st' });
    expect(stepInputProblem('aiPrompt', { prompt: 'Summarise', outputVariable: 'summary' })).toBeNull();
  });
});

describe('triggers', () => {
  test('cron expressions of 5 or 6 fields in an IANA zone', () => {
    expect(cronProblem('0 9 * * 1', 'Europe/Berlin')).toBeNull();
    expect(cronProblem('*/30 0 9 * * 1-5', 'America/New_York')).toBeNull();
    expect(cronProblem('0 9 * *', 'UTC')).toBe('must have 5 fields (or 6, seconds first)');
    expect(cronProblem('0 25 * * *', 'UTC')).toMatch(/^is not a valid cron expression/);
    expect(isIanaTimeZone('Europe/Berlin')).toBe(true);
    expect(isIanaTimeZone('Europe/Atlantis')).toBe(false);
    expect(isIanaTimeZone('../etc')).toBe(false);
  });
});

describe('a whole definition', () => {
  const minimal = { name: 'w', trigger: { type: 'MANUAL' } };

  test('makes next explicit and refuses fields of another trigger type', () => {
    const parsed = parseWorkflowDefinition(
      { ...minimal, steps: [{ key: 'a', type: 'delay', input: { duration: 'PT1M' } }, { key: 'b', type: 'delay', input: { duration: 'PT2M' } }] },
      null,
    );
    expect(parsed.steps.map((s) => s.next)).toEqual(['b', null]);
    expect(() =>
      parseWorkflowDefinition({ name: 'w', trigger: { type: 'MANUAL', cron: '* * * * *' }, steps: [{ key: 'a', type: 'delay', input: { duration: 'PT1M' } }] }, null),
    ).toThrow('trigger.cron: is not used by a MANUAL trigger');
  });

  test("limits the scopes to the caller's own when the caller is a key", () => {
    const input = { ...minimal, scopes: ['tokens:read', 'cms:read'], steps: [{ key: 'a', type: 'delay', input: { duration: 'PT1M' } }] };
    expect(parseWorkflowDefinition(input, null).scopes).toEqual(['cms:read', 'tokens:read']);
    expect(() => parseWorkflowDefinition(input, ['tokens:read', 'workflows:write'])).toThrow('scopes: cms:read is not a scope you hold');
  });

  test('a graphql step holds exactly one query or mutation', () => {
    expect(graphqlOperationProblem('query { me { id } }')).toBeNull();
    expect(graphqlOperationProblem('query A { me { id } } query B { me { id } }')).toBe('must hold exactly one operation');
    expect(graphqlOperationProblem('{ me {')).toMatch(/^does not parse/);
  });
});

describe('a whole definition', () => {
  const manual = (steps: unknown[]) => ({ name: 'Wait', trigger: { type: 'MANUAL' }, steps });
  const refusal = (raw: unknown) => {
    try {
      parseWorkflowDefinition(raw, null);
    } catch (error) {
      return (error as Error).message;
    }
    return null;
  };

  test('gives each step 3 attempts unless told, and takes 1 to 10', () => {
    const parsed = parseWorkflowDefinition(manual([{ key: 'a', type: 'delay', input: { duration: 'PT1S' } }, { key: 'b', type: 'delay', input: { duration: 'PT1S' }, maxAttempts: 10 }]), null);
    expect(parsed.steps.map((one) => one.maxAttempts)).toEqual([3, 10]);
    expect(refusal(manual([{ key: 'a', type: 'delay', input: { duration: 'PT1S' }, maxAttempts: 0 }]))).toBe('steps[0] (a).maxAttempts: must be a whole number from 1 to 10');
    expect(refusal(manual([{ key: 'a', type: 'delay', input: { duration: 'PT1S' }, maxAttempts: 11 }]))).toBe('steps[0] (a).maxAttempts: must be a whole number from 1 to 10');
  });

  test('refuses a delay longer than 30 days when saved, not when it runs', () => {
    expect(refusal(manual([{ key: 'wait', type: 'delay', input: { duration: 'P30D' } }]))).toBeNull();
    expect(refusal(manual([{ key: 'wait', type: 'delay', input: { duration: 'P30DT1S' } }]))).toBe('steps[0] (wait).input.duration: must be at most 30 days');
    expect(refusal(manual([{ key: 'wait', type: 'delay', input: { duration: 'PT721H' } }]))).toBe('steps[0] (wait).input.duration: must be at most 30 days');
  });
});
