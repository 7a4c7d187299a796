import type { ApiExample } from './api-example.ts';

const orgId = '8d0c3a52-6f1e-4b7a-9c2d-1e5f7a9b3c40';
const workflowId = '5c7e9a1b-3d5f-4b7a-8c9e-0a2b4c6d8e17';

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
];
