import { setTimeout as wait } from 'node:timers/promises';
import { StepFailedError, type StepDependencies, type StepExecution, type StepExecutor } from '../../engine/step-execution.ts';
import { renderTemplate } from '../expressions/render-template.ts';
import { runGraphqlOperation } from './graphql-operation.ts';

/** How often a reply still being written is read again. */
const pollIntervalMs = 500;

interface Reply {
  id: string;
  status: 'STREAMING' | 'COMPLETE' | 'FAILED' | 'CANCELLED';
  content: string;
  failureReason: string | null;
}

const replyFields = 'id status content failureReason';

const createConversation = `mutation WorkflowAiConversation($input: CreateAiConversationInput!) {
  createAiConversation(input: $input) { id }
}`;

const sendMessage = `mutation WorkflowAiMessage($conversationId: ID!, $content: String!) {
  sendAiMessage(conversationId: $conversationId, content: $content) { ${replyFields} }
}`;

// The conversation is new: its messages, oldest first, are the prompt and the reply
// (created together), then any tool calls the reply made, so the reply is on the first page.
const readMessages = `query WorkflowAiReply($id: ID!) {
  aiConversation(id: $id) { messages(first: 10) { edges { node { ${replyFields} } } } }
}`;

const cancelMessage = `mutation WorkflowAiCancel($id: ID!) { cancelAiMessage(id: $id) { id } }`;

/**
 * Asks the organization's assistant through the AI domain, as the workflow (so the
 * organization's settings, quota and tools apply as they would to its creator): a new
 * conversation per attempt, the rendered prompt sent, then the reply read every 500 ms
 * until it ends. The AI subgraph offers a subscription for the text as it is written, but a
 * step needs only the end, and a poll needs no socket. A reply that FAILED or was
 * CANCELLED is retried; a refusal or a spent quota fails the run (graphql-operation.ts).
 */
export const runAiPrompt: StepExecutor = async (execution, deps) => {
  const { run, step, scope } = execution;
  const model = step.input.model as string | undefined;
  const conversation = (await runGraphqlOperation(execution, deps, {
    query: createConversation,
    variables: { input: { orgId: run.organizationId, title: `Workflow run ${run.id}`, ...(model ? { model } : {}) } },
  })) as { createAiConversation: { id: string } };
  const conversationId = conversation.createAiConversation.id;
  const sent = (await runGraphqlOperation(execution, deps, {
    query: sendMessage,
    variables: { conversationId, content: renderTemplate(String(step.input.prompt), scope) },
  })) as { sendAiMessage: Reply };
  const reply = await replyWhenEnded(execution, deps, conversationId, sent.sendAiMessage);
  if (reply.status !== 'COMPLETE') {
    const why = reply.status === 'CANCELLED' ? 'was cancelled' : `failed: ${reply.failureReason ?? 'no reason given'}`;
    throw new StepFailedError(`Step ${step.key}: the assistant's reply ${why}`, { retryable: true });
  }
  const outputVariable = String(step.input.outputVariable);
  return { kind: 'done', output: { text: reply.content }, variables: { [outputVariable]: reply.content } };
};

/** The reply once it is no longer STREAMING; stopped early, it cancels the reply so it spends no more tokens. */
async function replyWhenEnded(execution: StepExecution, deps: StepDependencies, conversationId: string, sent: Reply): Promise<Reply> {
  let reply = sent;
  try {
    while (reply.status === 'STREAMING') {
      await wait(pollIntervalMs, undefined, { signal: execution.signal });
      reply = await readReply(execution, deps, conversationId, reply.id);
    }
    return reply;
  } catch (error) {
    if (execution.signal.aborted) await cancelReply(execution, deps, reply.id);
    throw error;
  }
}

async function readReply(execution: StepExecution, deps: StepDependencies, conversationId: string, replyId: string): Promise<Reply> {
  const data = (await runGraphqlOperation(execution, deps, { query: readMessages, variables: { id: conversationId } })) as {
    aiConversation: { messages: { edges: { node: Reply }[] } } | null;
  };
  const reply = data.aiConversation?.messages.edges.find((edge) => edge.node.id === replyId)?.node;
  if (!reply) throw new StepFailedError(`Step ${execution.step.key}: the assistant's reply is no longer in its conversation`, { retryable: true });
  return reply;
}

/** Best effort, with a signal of its own (the step's is aborted): a reply left running ends by itself. */
async function cancelReply({ run, step }: StepExecution, deps: StepDependencies, replyId: string): Promise<void> {
  try {
    await deps.graphql(run, step, { query: cancelMessage, variables: { id: replyId } }, AbortSignal.timeout(5000));
  } catch (error) {
    deps.logger.warn({ err: error, runId: run.id, stepKey: step.key }, 'could not cancel the reply of a stopped aiPrompt step');
  }
}
