import { BadUserInputError, isScope, parseInput } from '@token-nexus/shared';
import { Kind, parse } from 'graphql';
import { z } from 'zod';
import type { StoredStep, StoredTrigger } from '../models.ts';
import { isStepType, type StepTypeName } from '../steps/step-types.ts';
import { delayDurationMs, maxDelayMs } from '../steps/executors/delay.ts';
import { conditionExpressionProblem } from './condition-expression.ts';
import { maxSteps, stepGraphProblem } from './step-graph.ts';
import { stepInputProblem } from './step-inputs.ts';
import { parseTrigger, type TriggerInput } from './trigger.ts';

/** A workflow's definition once every rule holds (secret header values still in clear). */
export interface WorkflowDefinition {
  name: string;
  description: string;
  trigger: StoredTrigger;
  steps: StoredStep[];
  scopes: string[];
}

const stepKey = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, 'must be 1–64 letters, digits, _ or -, starting with a letter');

const shape = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
  description: z.string().max(1000, 'must be at most 1,000 characters').nullish(),
  steps: z.array(z.unknown()).min(1, 'must hold at least one step').max(maxSteps, `must hold at most ${maxSteps} steps`),
  scopes: z
    .array(z.string().refine(isScope, 'must be a name from apiScopes'))
    .max(50)
    .nullish()
    .transform((names) => [...new Set(names ?? [])].sort()),
});

/** Attempts a step makes when not told (the first and two retries). */
export const defaultMaxAttempts = 3;
const maxAttemptsLimit = 10;

interface StepInput {
  key: string;
  type: string;
  input: unknown;
  maxAttempts?: number | null;
  next?: string | null;
  branches?: { ifTrue?: string | null; ifFalse?: string | null } | null;
}

/** A step's problem, in the form `steps[2] (notify).input.to: must be an email`. */
function refuseStep(index: number, key: string, field: string, message: string): never {
  throw new BadUserInputError(`steps[${index}] (${key}).${field}: ${message}`, { field: `input.steps[${index}].${field}` });
}

/**
 * Checks a whole definition, cheapest rules first, and answers it normalized: `next`
 * made explicit (the following step in the list when omitted), scopes sorted without
 * repeats. `callerScopes` are the scopes the caller is limited to (an API key's), or null
 * for a user's own session, who may grant any scope of the catalogue they could use.
 * Throws BAD_USER_INPUT naming the step and field at fault.
 */
export function parseWorkflowDefinition(raw: unknown, callerScopes: readonly string[] | null): WorkflowDefinition {
  const input = parseInput(shape, raw, 'input');
  const trigger = parseTrigger((raw as { trigger: TriggerInput }).trigger);
  if (callerScopes !== null) {
    const beyond = input.scopes.find((scope) => !callerScopes.includes(scope));
    if (beyond) {
      throw new BadUserInputError(`scopes: ${beyond} is not a scope you hold; a workflow can only be given scopes its creator has`, {
        field: 'input.scopes',
      });
    }
  }
  const given = input.steps as StepInput[];
  const steps = given.map((step, index): StoredStep => {
    const key = parseInput(stepKey, step.key, `input.steps[${index}].key`);
    if (!isStepType(step.type)) refuseStep(index, key, 'type', 'must be a name from workflowStepTypes');
    const type: StepTypeName = step.type;
    const problem = stepInputProblem(type, step.input);
    if (problem) refuseStep(index, key, `input${problem.path}`, problem.message);
    const stepInput = step.input as Record<string, unknown>;
    const maxAttempts = step.maxAttempts ?? defaultMaxAttempts;
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > maxAttemptsLimit) {
      refuseStep(index, key, 'maxAttempts', `must be a whole number from 1 to ${maxAttemptsLimit}`);
    }
    if (type === 'condition') {
      const expression = conditionExpressionProblem(stepInput.expression as string);
      if (expression) refuseStep(index, key, 'input.expression', expression);
      if (step.next != null) refuseStep(index, key, 'next', 'is not used by a condition: give branches.ifTrue and branches.ifFalse');
      if (!step.branches) refuseStep(index, key, 'branches', 'is required for a condition');
      return {
        key,
        type,
        input: stepInput,
        next: null,
        branches: { ifTrue: step.branches.ifTrue ?? null, ifFalse: step.branches.ifFalse ?? null },
        maxAttempts,
      };
    }
    if (step.branches != null) refuseStep(index, key, 'branches', 'is only for a condition');
    if (type === 'delay' && typeof stepInput.duration === 'string' && delayDurationMs(stepInput.duration) > maxDelayMs) {
      refuseStep(index, key, 'input.duration', 'must be at most 30 days');
    }
    if (type === 'graphql') {
      const operation = graphqlOperationProblem(stepInput.query as string);
      if (operation) refuseStep(index, key, 'input.query', operation);
    }
    const next = step.next === undefined ? (given[index + 1]?.key ?? null) : step.next;
    return { key, type, input: stepInput, next, branches: null, maxAttempts };
  });
  const graph = stepGraphProblem(steps);
  if (graph) refuseStep(graph.index, steps[graph.index]!.key, graph.field, graph.message);
  return { name: input.name, description: input.description ?? '', trigger, steps, scopes: input.scopes };
}

/** A graphql step runs one query or mutation: the document must parse and hold exactly one, and no subscription. */
export function graphqlOperationProblem(source: string): string | null {
  let document;
  try {
    document = parse(source);
  } catch (error) {
    return `does not parse: ${(error as Error).message}`;
  }
  const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  if (operations.length !== 1) return 'must hold exactly one operation';
  if (operations[0]!.operation === 'subscription') return 'must be a query or a mutation, not a subscription';
  return null;
}
