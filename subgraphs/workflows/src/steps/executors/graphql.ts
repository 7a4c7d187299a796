import type { StepExecutor } from '../../engine/step-execution.ts';
import { renderValue } from '../expressions/render-template.ts';
import { runGraphqlOperation } from './graphql-operation.ts';

/**
 * Runs the step's query or mutation as the workflow (its creator, limited to its scopes),
 * with `{{ path }}` templates rendered in its variables, never in the document: values
 * reach an operation as variables only, so no run data can change what it does. The data
 * is the output and, with `outputVariable`, a run variable.
 */
export const runGraphql: StepExecutor = async (execution, deps) => {
  const { step, scope } = execution;
  const variables = renderValue(step.input.variables ?? {}, scope) as Record<string, unknown>;
  const data = await runGraphqlOperation(execution, deps, { query: String(step.input.query), variables });
  const outputVariable = step.input.outputVariable as string | undefined;
  return { kind: 'done', output: { data }, ...(outputVariable ? { variables: { [outputVariable]: data } } : {}) };
};
