import { describe, expect, test } from 'vitest';
import type { StepDependencies, StepExecution } from '../../engine/step-execution.ts';
import { runGraphql } from './graphql.ts';

type Response = Awaited<ReturnType<StepDependencies['graphql']>>;

const execution: StepExecution = {
  run: { id: 'r1', organizationId: 'o1', workflowId: 'w1', version: 1, causation: ['r1'] },
  step: {
    key: 'lookup',
    type: 'graphql',
    input: { query: 'query ($id: ID!) { token(id: $id) { id } }', variables: { id: '{{ trigger.tokenId }}', limit: '{{ vars.limit }}' }, outputVariable: 'token' },
    next: null,
    branches: null,
  },
  attempt: 1,
  stepStartedAt: new Date(),
  scope: { trigger: { tokenId: 't1' }, vars: { limit: 5 }, steps: {} },
  signal: new AbortController().signal,
};

/** The graph as the step sees it: answers `response` (or throws it) and records what it was asked. */
function graphAnswering(response: Response | Error) {
  const requests: unknown[] = [];
  const deps = {
    graphql: async (_run, _step, request) => {
      requests.push(request);
      if (response instanceof Error) throw response;
      return response;
    },
  } as Pick<StepDependencies, 'graphql'> as StepDependencies;
  return { deps, requests };
}

const failureOf = (response: Response | Error) => runGraphql(execution, graphAnswering(response).deps).catch((error: unknown) => error);

describe('a graphql step', () => {
  test('sends its variables rendered with their types and puts the data in its variable', async () => {
    const { deps, requests } = graphAnswering({ data: { token: { id: 't1' } } });
    expect(await runGraphql(execution, deps)).toEqual({ kind: 'done', output: { data: { token: { id: 't1' } } }, variables: { token: { token: { id: 't1' } } } });
    expect(requests).toEqual([{ query: execution.step.input.query, variables: { id: 't1', limit: 5 } }]);
  });

  test('fails the run at once, saying why, when the creator or the scopes do not allow the operation', async () => {
    const failure = await failureOf({ errors: [{ message: 'Needs tokens:write', extensions: { code: 'FORBIDDEN' } }] });
    expect(failure).toMatchObject({ options: { retryable: false, code: 'FORBIDDEN' } });
    expect((failure as Error).message).toBe('Step lookup: the workflow\'s creator or its scopes do not allow this operation: "Needs tokens:write"');
    expect(await failureOf({ errors: [{ message: 'Sign in', extensions: { code: 'UNAUTHENTICATED' } }] })).toMatchObject({ options: { retryable: false, code: 'FORBIDDEN' } });
  });

  test('fails the run at once on input the graph refuses, and retries what may pass later', async () => {
    for (const code of ['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED', 'NOT_FOUND', 'CONFLICT']) {
      expect(await failureOf({ errors: [{ message: 'no', extensions: { code } }] }), code).toMatchObject({ options: { retryable: false, code } });
    }
    expect(await failureOf({ errors: [{ message: 'boom', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] })).toMatchObject({ options: { retryable: true } });
    expect(await failureOf(new Error('ECONNREFUSED'))).toMatchObject({ options: { retryable: true }, message: expect.stringContaining('ECONNREFUSED') });
  });
});
