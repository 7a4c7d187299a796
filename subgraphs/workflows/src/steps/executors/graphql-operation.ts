import { StepFailedError, type StepDependencies, type StepExecution } from '../../engine/step-execution.ts';

type GraphqlError = { message: string; extensions?: Record<string, unknown> };

/** Refusals: the workflow runs as its creator, limited to its scopes, and they do not allow it. */
const refusalCodes = new Set(['FORBIDDEN', 'UNAUTHENTICATED']);

/**
 * Answers that would be the same on a retry: the operation or its input is wrong, what it
 * names is gone or in the wrong state, or a limit is reached (a quota resets monthly, far
 * beyond a step's backoff). Any other code (a rate limit, an internal error, a subgraph
 * that is down) is worth another attempt.
 */
const finalCodes = new Set(['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED', 'NOT_FOUND', 'CONFLICT', 'QUOTA_EXCEEDED']);

const codeOf = (error: GraphqlError) => String(error.extensions?.code ?? '');

/**
 * Runs one operation of the graph as the workflow and gives its `data`; errors become a
 * {@link StepFailedError} (see {@link graphqlFailure}), a thrown error (the network) a
 * retryable one; a StepFailedError the client threw is passed on as it is. A thrown error
 * while the step is being stopped is passed on as it is: the attempt did not fail, it was
 * abandoned.
 */
export async function runGraphqlOperation(
  { run, step, signal }: StepExecution,
  deps: StepDependencies,
  request: { query: string; variables: Record<string, unknown> },
): Promise<unknown> {
  let response: Awaited<ReturnType<StepDependencies['graphql']>>;
  try {
    response = await deps.graphql(run, step, request, signal);
  } catch (error) {
    if (signal.aborted) throw error;
    // The client's own verdict (the creator left the organization, no gateway configured) is
    // final as it is: wrapped as "could not be reached" it would lose its code and be retried.
    if (error instanceof StepFailedError) throw error;
    throw new StepFailedError(`Step ${step.key}: the graph could not be reached: ${(error as Error).message}`, { retryable: true });
  }
  if (response.errors?.length) throw graphqlFailure(step.key, response.errors);
  return response.data ?? null;
}

/** The step failure a GraphQL response's errors amount to: the most final of them decides. */
export function graphqlFailure(stepKey: string, errors: readonly GraphqlError[]): StepFailedError {
  const refusal = errors.find((error) => refusalCodes.has(codeOf(error)));
  if (refusal) {
    return new StepFailedError(
      `Step ${stepKey}: the workflow's creator or its scopes do not allow this operation: "${refusal.message}"`,
      { retryable: false, code: 'FORBIDDEN' },
    );
  }
  const final = errors.find((error) => finalCodes.has(codeOf(error)));
  if (final) return new StepFailedError(`Step ${stepKey}: ${final.message}`, { retryable: false, code: codeOf(final) });
  const [first] = errors;
  return new StepFailedError(`Step ${stepKey}: ${first!.message}`, { retryable: true, ...(codeOf(first!) ? { code: codeOf(first!) } : {}) });
}
