import type { StepExecutor } from '../../engine/step-execution.ts';
import { renderValue } from '../expressions/render-template.ts';

/**
 * Sets run variables from `input.variables`, templates rendered (a value that is exactly
 * `{{ path }}` keeps its type). They are also the step's output, so a run's history shows
 * what was set.
 */
export const runSetVariables: StepExecutor = async ({ step, scope }) => {
  const variables = renderValue(step.input.variables, scope) as Record<string, unknown>;
  return { kind: 'done', output: variables, variables };
};
