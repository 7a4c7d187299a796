import { describe, expect, test } from 'vitest';
import type { StepDependencies, StepExecution } from '../../engine/step-execution.ts';
import { runAiPrompt } from './ai-prompt.ts';

type Response = Awaited<ReturnType<StepDependencies['graphql']>>;

const execution = (signal = new AbortController().signal): StepExecution => ({
  run: { id: 'r1', organizationId: 'o1', workflowId: 'w1', version: 1, causation: ['r1'] },
  step: { key: 'summarise', type: 'aiPrompt', input: { prompt: 'Summarise {{ trigger.text }}', model: 'small', outputVariable: 'summary' }, next: null, branches: null },
  attempt: 1,
  stepStartedAt: new Date(),
  scope: { trigger: { text: 'the report' }, vars: {}, steps: {} },
  signal,
});

const reply = (status: string, content = '', failureReason: string | null = null) => ({ id: 'm2', status, content, failureReason });

/**
 * The AI domain as the step reaches it through the graph: a conversation, then the reply as
 * `sendAiMessage` answers it, then as each read of the conversation finds it (`readings`).
 */
function aiDomain(sent: Response, readings: ReturnType<typeof reply>[]) {
  const operations: { query: string; variables: Record<string, unknown> }[] = [];
  const answer = (query: string): Response => {
    if (query.includes('createAiConversation')) return { data: { createAiConversation: { id: 'c1' } } };
    if (query.includes('sendAiMessage')) return sent;
    if (query.includes('cancelAiMessage')) return { data: { cancelAiMessage: { id: 'm2' } } };
    const next = readings.shift() ?? reply('STREAMING');
    return { data: { aiConversation: { messages: { edges: [{ node: { ...reply('COMPLETE', 'prompt'), id: 'm1' } }, { node: next }] } } } };
  };
  const deps = {
    logger: { warn: () => {} },
    graphql: async (_run, _step, request) => {
      operations.push(request);
      return answer(request.query);
    },
  } as Pick<StepDependencies, 'graphql'> as StepDependencies;
  return { deps, operations };
}

describe('an aiPrompt step', () => {
  test('asks in a conversation of its own and puts the finished reply in its variable', async () => {
    const { deps, operations } = aiDomain({ data: { sendAiMessage: reply('STREAMING') } }, [reply('STREAMING', 'A sh'), reply('COMPLETE', 'A short report.')]);
    expect(await runAiPrompt(execution(), deps)).toEqual({ kind: 'done', output: { text: 'A short report.' }, variables: { summary: 'A short report.' } });
    expect(operations[0]!.variables).toEqual({ input: { orgId: 'o1', title: 'Workflow run r1', model: 'small' } });
    expect(operations[1]!.variables).toEqual({ conversationId: 'c1', content: 'Summarise the report' });
    expect(operations).toHaveLength(4);
  });

  test('retries a reply that failed, with its reason', async () => {
    const { deps } = aiDomain({ data: { sendAiMessage: reply('STREAMING') } }, [reply('FAILED', '', 'The provider timed out')]);
    await expect(runAiPrompt(execution(), deps)).rejects.toMatchObject({
      message: "Step summarise: the assistant's reply failed: The provider timed out",
      options: { retryable: true },
    });
  });

  test('fails the run at once when the quota is spent', async () => {
    const { deps } = aiDomain({ errors: [{ message: 'The organization has used its tokens', extensions: { code: 'QUOTA_EXCEEDED' } }] }, []);
    await expect(runAiPrompt(execution(), deps)).rejects.toMatchObject({ options: { retryable: false, code: 'QUOTA_EXCEEDED' } });
  });

  test('stops waiting when the step is stopped, and cancels the reply', async () => {
    const controller = new AbortController();
    const { deps, operations } = aiDomain({ data: { sendAiMessage: reply('STREAMING') } }, []);
    setTimeout(() => controller.abort(), 700);
    await expect(runAiPrompt(execution(controller.signal), deps)).rejects.toThrow();
    expect(operations.at(-1)).toEqual({ query: expect.stringContaining('cancelAiMessage'), variables: { id: 'm2' } });
  });
});
