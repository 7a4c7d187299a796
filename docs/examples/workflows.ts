import type { ApiExample } from './api-example.ts';

const orgId = '8d0c3a52-6f1e-4b7a-9c2d-1e5f7a9b3c40';
const workflowId = '5c7e9a1b-3d5f-4b7a-8c9e-0a2b4c6d8e17';
const runId = 'a3e5c7f9-1b2d-4e6f-8a0c-2d4f6b8a0c51';

/** A definition like one a treasury team keeps: on a deployed token, email them when it is large. */
const input = {
  name: 'Tell treasury about new tokens',
  description: 'Emails the treasury team when a token is deployed with a large supply.',
  trigger: { type: 'EVENT', eventType: 'token.deployed' },
  steps: [
    {
      key: 'large',
      type: 'condition',
      input: { expression: 'trigger.data.initialSupply > 1000000' },
      branches: { ifTrue: 'notify' },
    },
    {
      key: 'notify',
      type: 'sendEmail',
      input: { to: 'treasury@example.com', subject: 'New token: {{trigger.data.symbol}}', body: 'Deployed on chain {{trigger.data.chainId}}.' },
    },
  ],
  scopes: ['tokens:read'],
};

/** Examples of the workflows page. */
export const workflowsExamples: ApiExample[] = [
  {
    field: 'Query.workflows',
    title: "an organization's workflows, newest first",
    caller: 'user',
    operation: `query Workflows($orgId: ID!) {
  workflows(orgId: $orgId, first: 10) {
    edges { node { id name enabled version trigger { type eventType cron timeZone } } }
    pageInfo { hasNextPage endCursor }
  }
}`,
    variables: { orgId },
  },
  {
    field: 'Query.workflow',
    title: 'one workflow and its steps',
    caller: 'user',
    operation: `query Workflow($id: ID!) {
  workflow(id: $id) { name version scopes steps { key type input next branches { ifTrue ifFalse } } }
}`,
    variables: { id: workflowId },
  },
  {
    field: 'Query.workflowStepTypes',
    title: 'the step types and the JSON Schema of their inputs',
    caller: 'user',
    operation: `query WorkflowStepTypes {
  workflowStepTypes { name description inputSchema }
}`,
    variables: {},
  },
  {
    field: 'Mutation.createWorkflow',
    title: 'a workflow triggered by an event, with a condition',
    caller: 'user',
    operation: `mutation CreateWorkflow($orgId: ID!, $input: WorkflowInput!) {
  createWorkflow(orgId: $orgId, input: $input) { id version enabled steps { key next branches { ifTrue ifFalse } } }
}`,
    variables: { orgId, input },
  },
  {
    field: 'Mutation.updateWorkflow',
    title: 'a new definition, from the version it was edited from',
    caller: 'user',
    operation: `mutation UpdateWorkflow($id: ID!, $input: WorkflowInput!, $version: Int!) {
  updateWorkflow(id: $id, input: $input, version: $version) { id version }
}`,
    variables: {
      id: workflowId,
      version: 1,
      input: { ...input, trigger: { type: 'SCHEDULE', cron: '0 9 * * 1', timeZone: 'Europe/Berlin' } },
    },
  },
  {
    field: 'Mutation.setWorkflowEnabled',
    title: 'turn a workflow off',
    caller: 'user',
    operation: `mutation SetWorkflowEnabled($id: ID!) {
  setWorkflowEnabled(id: $id, enabled: false) { id enabled }
}`,
    variables: { id: workflowId },
  },
  {
    field: 'Mutation.deleteWorkflow',
    title: 'delete a workflow',
    caller: 'user',
    operation: `mutation DeleteWorkflow($id: ID!) {
  deleteWorkflow(id: $id)
}`,
    variables: { id: workflowId },
  },
  {
    field: 'Query.workflowRuns',
    title: "a workflow's latest runs, newest first",
    caller: 'user',
    operation: `query WorkflowRuns($orgId: ID!, $workflowId: ID!) {
  workflowRuns(orgId: $orgId, workflowId: $workflowId, first: 10) {
    edges { node { id status triggerType version error createdAt finishedAt } }
    pageInfo { hasNextPage endCursor }
  }
}`,
    variables: { orgId, workflowId },
  },
  {
    field: 'Query.workflowRun',
    title: 'one run, what it started from, and each step it reached',
    caller: 'user',
    operation: `query WorkflowRun($id: ID!) {
  workflowRun(id: $id) {
    status trigger variables error startedAt finishedAt
    steps { key type status attempts output error }
  }
}`,
    variables: { id: runId },
  },
  {
    field: 'Mutation.runWorkflow',
    title: 'start a run by hand, with the input its steps read as `trigger.input`',
    caller: 'user',
    operation: `mutation RunWorkflow($id: ID!, $input: JSON) {
  runWorkflow(id: $id, input: $input) { id status triggerType version createdAt }
}`,
    variables: { id: workflowId, input: { symbol: 'NXC', initialSupply: 5000000, chainId: 8453 } },
  },
  {
    field: 'Mutation.cancelWorkflowRun',
    title: 'stop a run that is waiting in a delay',
    caller: 'user',
    operation: `mutation CancelWorkflowRun($id: ID!) {
  cancelWorkflowRun(id: $id) { id status error finishedAt steps { key status } }
}`,
    variables: { id: runId },
  },
  {
    field: 'Mutation.retryWorkflowRun',
    title: 'resume a failed run from the step that failed',
    caller: 'user',
    operation: `mutation RetryWorkflowRun($id: ID!) {
  retryWorkflowRun(id: $id) { id status error steps { key status attempts } }
}`,
    variables: { id: runId },
  },
  {
    field: 'Subscription.workflowRunUpdated',
    title: "follow one workflow's runs as they start, progress and finish",
    caller: 'user',
    operation: `subscription WorkflowRunUpdated($orgId: ID!, $workflowId: ID) {
  workflowRunUpdated(orgId: $orgId, workflowId: $workflowId) { id status error finishedAt steps { key status attempts } }
}`,
    variables: { orgId, workflowId },
  },
];
