import { StepFailedError, type StepExecutor } from '../../engine/step-execution.ts';
import { evaluateExpression, isTruthy } from '../expressions/evaluate-expression.ts';

/**
 * Evaluates `input.expression` and goes to `branches.ifTrue` or `branches.ifFalse`. An
 * expression that cannot be evaluated (comparing a string with a number, say) will not
 * evaluate on a retry either: the run fails at once, naming the step.
 */
export const runCondition: StepExecutor = async ({ step, scope }) => {
  let result: boolean;
  try {
    result = isTruthy(evaluateExpression(String(step.input.expression), scope));
  } catch (error) {
    throw new StepFailedError(`Step ${step.key}: the condition cannot be evaluated: ${(error as Error).message}`, {
      retryable: false,
      code: 'BAD_USER_INPUT',
    });
  }
  const next = result ? step.branches?.ifTrue : step.branches?.ifFalse;
  return { kind: 'done', output: { result }, next: next ?? null };
};
