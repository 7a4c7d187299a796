import type { ApiExample } from './api-example.ts';

const orgId = '8d0c3a52-6f1e-4b7a-9c2d-1e5f7a9b3c40';
const conversationId = '3c9a7e51-0b2d-4f6e-8a1c-7d5b3e9f1a08';

/** Examples of the assistant (ai) page. */
export const aiExamples: ApiExample[] = [
  {
    field: 'Query.aiConversation',
    title: 'one of your conversations with its first messages',
    caller: 'user',
    operation: `query AiConversation($id: ID!) {
  aiConversation(id: $id) {
    id
    title
    model
    messages(first: 50) { edges { node { id role content status createdAt } } }
  }
}`,
    variables: { id: conversationId },
  },
  {
    field: 'Query.aiConversations',
    title: 'your latest conversations in an organization',
    caller: 'user',
    operation: `query AiConversations($orgId: ID!) {
  aiConversations(orgId: $orgId, first: 20) { edges { node { id title updatedAt } } pageInfo { hasNextPage endCursor } }
}`,
    variables: { orgId },
  },
  {
    field: 'Query.aiSettings',
    title: "the organization's assistant settings",
    caller: 'user',
    operation: `query AiSettings($orgId: ID!) {
  aiSettings(orgId: $orgId) { enabled provider baseUrl hasApiKey model temperature monthlyTokenQuota tokensUsedThisMonth allowedTools }
}`,
    variables: { orgId },
  },
  {
    field: 'Query.aiUsage',
    title: 'token usage per day and model in November',
    caller: 'user',
    operation: `query AiUsage($orgId: ID!, $from: DateTime!, $to: DateTime!) {
  aiUsage(orgId: $orgId, from: $from, to: $to) { day model promptTokens completionTokens requests estimatedCost }
}`,
    variables: { orgId, from: '2026-11-01T00:00:00.000Z', to: '2026-11-30T00:00:00.000Z' },
  },
  {
    field: 'Query.aiTools',
    title: 'the tools the assistant can be allowed',
    caller: 'user',
    operation: `query AiTools {
  aiTools { name description }
}`,
    variables: {},
  },
  {
    field: 'Mutation.createAiConversation',
    title: 'starting a conversation',
    caller: 'user',
    operation: `mutation CreateAiConversation($input: CreateAiConversationInput!) {
  createAiConversation(input: $input) { id title model }
}`,
    variables: { input: { orgId, title: 'Launch planning' } },
  },
  {
    field: 'Mutation.updateAiConversation',
    title: 'archiving a conversation',
    caller: 'user',
    operation: `mutation UpdateAiConversation($id: ID!, $input: UpdateAiConversationInput!) {
  updateAiConversation(id: $id, input: $input) { id archived }
}`,
    variables: { id: conversationId, input: { archived: true } },
  },
  {
    field: 'Mutation.sendAiMessage',
    title: 'asking the assistant something; the reply streams on aiMessageStream',
    caller: 'user',
    operation: `mutation SendAiMessage($conversationId: ID!, $content: String!) {
  sendAiMessage(conversationId: $conversationId, content: $content) { id role status }
}`,
    variables: { conversationId, content: 'Which of our tokens are deployed?' },
  },
  {
    field: 'Mutation.cancelAiMessage',
    title: 'stopping a reply still being written',
    caller: 'user',
    operation: `mutation CancelAiMessage($id: ID!) {
  cancelAiMessage(id: $id) { id status content }
}`,
    variables: { id: 'e4b2c8d6-1f3a-4e5b-9c7d-2a0f8e6b4c1d' },
  },
  {
    field: 'Mutation.updateAiSettings',
    title: 'a cooler temperature and a monthly quota of one million tokens',
    caller: 'user',
    operation: `mutation UpdateAiSettings($orgId: ID!, $input: UpdateAiSettingsInput!) {
  updateAiSettings(orgId: $orgId, input: $input) { temperature monthlyTokenQuota }
}`,
    variables: { orgId, input: { temperature: 0.2, monthlyTokenQuota: 1000000 } },
  },
  {
    field: 'Subscription.aiMessageStream',
    title: "a conversation's replies as they are written",
    caller: 'user',
    operation: `subscription AiMessageStream($conversationId: ID!) {
  aiMessageStream(conversationId: $conversationId) { messageId offset delta message { status content failureReason } }
}`,
    variables: { conversationId },
  },
];
