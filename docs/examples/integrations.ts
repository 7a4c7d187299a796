import type { ApiExample } from './api-example.ts';

const orgId = '8d0c3a52-6f1e-4b7a-9c2d-1e5f7a9b3c40';
const endpointId = '1d5f9b3e-7a2c-4e8d-b0f6-5c3a1e9d7b24';
const apiKeyId = '4a8c2e6f-0b3d-4f7a-9e1c-8d6b4a2f0e39';
const appId = '9f1b5d3a-7e2c-4a8d-b6f0-2e4c6a8b0d13';
const clientId = 'tnxapp_3J8kQ2mW7vR1';
const redirectUri = 'https://app.example.com/callback';

/** Examples of the integrations page. */
export const integrationsExamples: ApiExample[] = [
  {
    field: 'Query.webhookEndpoints',
    title: "an organization's webhook endpoints",
    caller: 'user',
    operation: `query WebhookEndpoints($orgId: ID!) {
  webhookEndpoints(orgId: $orgId) { id url eventTypes enabled disabledReason }
}`,
    variables: { orgId },
  },
  {
    field: 'Query.webhookEndpoint',
    title: 'an endpoint and its dead letters',
    caller: 'user',
    operation: `query WebhookEndpoint($id: ID!) {
  webhookEndpoint(id: $id) {
    url
    deliveries(status: DEAD, first: 10) { id webhookId eventType attempts { number statusCode error } }
  }
}`,
    variables: { id: endpointId },
  },
  {
    field: 'Query.webhookEventTypes',
    title: 'the events an endpoint can subscribe to',
    caller: 'user',
    operation: `query WebhookEventTypes {
  webhookEventTypes { name description }
}`,
    variables: {},
  },
  {
    field: 'Query.apiKeys',
    title: "an organization's API keys",
    caller: 'user',
    operation: `query ApiKeys($orgId: ID!) {
  apiKeys(orgId: $orgId) { id name scopes prefix lastFour lastUsedAt expiresAt active }
}`,
    variables: { orgId },
  },
  {
    field: 'Query.apiScopes',
    title: 'the scopes keys and apps can hold',
    caller: 'user',
    operation: `query ApiScopes {
  apiScopes { name description }
}`,
    variables: {},
  },
  {
    field: 'Query.oauthApps',
    title: "an organization's OAuth apps",
    caller: 'user',
    operation: `query OAuthApps($orgId: ID!) {
  oauthApps(orgId: $orgId) { id name clientId clientType redirectUris allowedScopes revokedAt }
}`,
    variables: { orgId },
  },
  {
    field: 'Query.oauthAuthorizationRequest',
    title: 'what the consent screen shows for an authorization request',
    caller: 'user',
    operation: `query OAuthAuthorizationRequest($clientId: String!, $redirectUri: String!, $scopes: [String!]!) {
  oauthAuthorizationRequest(clientId: $clientId, redirectUri: $redirectUri, scopes: $scopes) {
    app { name organization { name } }
    scopes { name description }
    alreadyConsented
  }
}`,
    variables: { clientId, redirectUri, scopes: ['webhooks:read'] },
  },
  {
    field: 'Query.authorizedOAuthApps',
    title: 'the apps you authorized',
    caller: 'user',
    operation: `query AuthorizedOAuthApps {
  authorizedOAuthApps { app { id name } scopes { name } consentedAt }
}`,
    variables: {},
  },
  {
    field: 'Mutation.createWebhookEndpoint',
    title: 'receiving membership events at your own URL',
    caller: 'user',
    operation: `mutation CreateWebhookEndpoint($input: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(input: $input) { endpoint { id url eventTypes } secret }
}`,
    variables: {
      input: { orgId, url: 'https://hooks.example.com/token-nexus', eventTypes: ['member.added', 'member.removed'], description: 'HR sync' },
    },
  },
  {
    field: 'Mutation.updateWebhookEndpoint',
    title: 'subscribing an endpoint to published pages too',
    caller: 'user',
    operation: `mutation UpdateWebhookEndpoint($id: ID!, $input: UpdateWebhookEndpointInput!) {
  updateWebhookEndpoint(id: $id, input: $input) { id eventTypes enabled }
}`,
    variables: { id: endpointId, input: { eventTypes: ['member.added', 'page.published'] } },
  },
  {
    field: 'Mutation.rotateWebhookSecret',
    title: 'a new signing secret, the old one signing too for a day',
    caller: 'user',
    operation: `mutation RotateWebhookSecret($id: ID!, $overlapHours: Int) {
  rotateWebhookSecret(id: $id, overlapHours: $overlapHours) { endpoint { previousSecretExpiresAt } secret }
}`,
    variables: { id: endpointId, overlapHours: 24 },
  },
  {
    field: 'Mutation.deleteWebhookEndpoint',
    title: 'removing an endpoint',
    caller: 'user',
    operation: `mutation DeleteWebhookEndpoint($id: ID!) {
  deleteWebhookEndpoint(id: $id)
}`,
    variables: { id: endpointId },
  },
  {
    field: 'Mutation.testWebhook',
    title: 'sending a signed test event now',
    caller: 'user',
    operation: `mutation TestWebhook($endpointId: ID!) {
  testWebhook(endpointId: $endpointId) { id status attempts { statusCode latencyMs responseBody error } }
}`,
    variables: { endpointId },
  },
  {
    field: 'Mutation.replayWebhookDelivery',
    title: 'sending a dead letter again',
    caller: 'user',
    operation: `mutation ReplayWebhookDelivery($id: ID!) {
  replayWebhookDelivery(id: $id) { id webhookId status }
}`,
    variables: { id: 'b2d4f6a8-0c1e-4a3b-8d5f-7e9a1c3e5b70' },
  },
  {
    field: 'Mutation.createApiKey',
    title: 'a key that reads tokens, for a reporting job',
    caller: 'user',
    operation: `mutation CreateApiKey($input: CreateApiKeyInput!) {
  createApiKey(input: $input) { apiKey { id prefix lastFour scopes } secret }
}`,
    variables: { input: { orgId, name: 'Reporting', scopes: ['tokens:read'] } },
  },
  {
    field: 'Mutation.rotateApiKey',
    title: "replacing a key's secret",
    caller: 'user',
    operation: `mutation RotateApiKey($id: ID!) {
  rotateApiKey(id: $id) { apiKey { id lastFour } secret }
}`,
    variables: { id: apiKeyId },
  },
  {
    field: 'Mutation.revokeApiKey',
    title: 'revoking a key',
    caller: 'user',
    operation: `mutation RevokeApiKey($id: ID!) {
  revokeApiKey(id: $id) { id revokedAt active }
}`,
    variables: { id: apiKeyId },
  },
  {
    field: 'Mutation.registerOAuthApp',
    title: 'registering a confidential app',
    caller: 'user',
    operation: `mutation RegisterOAuthApp($input: RegisterOAuthAppInput!) {
  registerOAuthApp(input: $input) { app { id clientId clientType } clientSecret }
}`,
    variables: {
      input: { orgId, name: 'Sync app', redirectUris: [redirectUri], allowedScopes: ['webhooks:read', 'organization:read'], clientType: 'CONFIDENTIAL' },
    },
  },
  {
    field: 'Mutation.updateOAuthApp',
    title: 'renaming an app',
    caller: 'user',
    operation: `mutation UpdateOAuthApp($id: ID!, $input: UpdateOAuthAppInput!) {
  updateOAuthApp(id: $id, input: $input) { id name }
}`,
    variables: { id: appId, input: { name: 'Sync app (production)' } },
  },
  {
    field: 'Mutation.rotateOAuthClientSecret',
    title: "replacing a confidential app's client secret",
    caller: 'user',
    operation: `mutation RotateOAuthClientSecret($id: ID!) {
  rotateOAuthClientSecret(id: $id) { app { clientId } clientSecret }
}`,
    variables: { id: appId },
  },
  {
    field: 'Mutation.revokeOAuthApp',
    title: 'revoking an app and every token it holds',
    caller: 'user',
    operation: `mutation RevokeOAuthApp($id: ID!) {
  revokeOAuthApp(id: $id) { id revokedAt }
}`,
    variables: { id: appId },
  },
  {
    field: 'Mutation.authorizeOAuthApp',
    title: "the signed-in user approves an app's request (PKCE, S256)",
    caller: 'user',
    operation: `mutation AuthorizeOAuthApp($input: AuthorizeOAuthAppInput!) {
  authorizeOAuthApp(input: $input) { redirectUrl expiresAt }
}`,
    variables: {
      input: {
        clientId,
        redirectUri,
        scopes: ['webhooks:read'],
        state: 'af0ifjsldkj',
        codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
        codeChallengeMethod: 'S256',
      },
    },
  },
  {
    field: 'Mutation.revokeOAuthConsent',
    title: "withdrawing an app's access to your account",
    caller: 'user',
    operation: `mutation RevokeOAuthConsent($appId: ID!) {
  revokeOAuthConsent(appId: $appId)
}`,
    variables: { appId },
  },
];
