import type { OpenAPIObject, ResponseObject } from 'openapi3-ts/oas31';
import { openApiSchemas } from './openapi-schemas.ts';

const json = (name: string) => ({ 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } });

/** Token and revocation answers are never cached (RFC 6749 §5.1). */
const noStoreHeaders = {
  'Cache-Control': { description: '`no-store`.', schema: { const: 'no-store' } },
  Pragma: { description: '`no-cache`.', schema: { const: 'no-cache' } },
};

const oauthBadRequest: ResponseObject = {
  description: 'The request is refused: invalid_request, invalid_grant, invalid_scope, unauthorized_client or unsupported_grant_type.',
  headers: noStoreHeaders,
  content: json('OAuthError'),
};

const oauthInvalidClient: ResponseObject = {
  description: 'invalid_client: the client could not be authenticated.',
  headers: {
    ...noStoreHeaders,
    'WWW-Authenticate': { description: 'A Basic challenge (RFC 6749 §5.2).', schema: { type: 'string' } },
  },
  content: json('OAuthError'),
};

const tooLarge: ResponseObject = {
  description: 'The body is over the limit (BODY_LIMIT_BYTES at the gateway; 16 KiB for an OAuth form): BAD_USER_INPUT.',
  content: json('GraphQLErrorResponse'),
};

const unauthenticated: ResponseObject = {
  description: 'The bearer token sent is not valid (expired, revoked, malformed): UNAUTHENTICATED, with `WWW-Authenticate: Bearer error="invalid_token"`.',
  content: json('GraphQLErrorResponse'),
};

/**
 * The OpenAPI 3.1 description of the gateway's HTTP routes: the OAuth endpoints, export
 * downloads, health, the graphql-sse stream, and the GraphQL endpoint at the level of the
 * GraphQL-over-HTTP specification (its operations are the API reference's, in docs/api).
 */
export const openApiDocument: OpenAPIObject = {
  openapi: '3.1.0',
  info: {
    title: 'Token Nexus graph: HTTP routes',
    version: '1.0.0',
    description:
      'The routes of the Token Nexus gateway. The API itself is GraphQL, at `/graphql`: its operations, types and errors are in the API reference (docs/api in the repository). This document describes that endpoint at the level of GraphQL over HTTP, and the routes that are not GraphQL.',
  },
  servers: [{ url: '/', description: 'The gateway that serves this document.' }],
  tags: [
    { name: 'GraphQL', description: 'The GraphQL endpoint and its subscription stream.' },
    { name: 'OAuth', description: 'The token and revocation endpoints of OAuth apps (RFC 6749, RFC 7636, RFC 7009).' },
    { name: 'Downloads', description: 'Files prepared in the background, behind signed links.' },
    { name: 'Health', description: 'For load balancers and orchestrators.' },
    { name: 'Workflows', description: 'Where INBOUND workflows receive signed messages from outside.' },
  ],
  paths: {
    '/graphql': {
      get: {
        tags: ['GraphQL'],
        operationId: 'graphqlGet',
        summary: 'Run a query (GraphQL over HTTP, GET)',
        description:
          'A query in the URL. Mutations must be POSTed. Send `apollo-require-preflight: true` (or `Content-Type: application/json`): other GET requests are refused as a potential cross-site request forgery. Without `query`, and asking for HTML, a browser gets Apollo Sandbox (outside production).',
        parameters: [
          { name: 'query', in: 'query', required: true, schema: { type: 'string' }, description: 'The operation document.' },
          { name: 'operationName', in: 'query', schema: { type: 'string' } },
          { name: 'variables', in: 'query', schema: { type: 'string' }, description: 'A JSON object, URL-encoded.' },
          { name: 'extensions', in: 'query', schema: { type: 'string' }, description: 'A JSON object, URL-encoded.' },
          { name: 'apollo-require-preflight', in: 'header', schema: { type: 'string' }, description: 'Any value: marks the request as not cross-site.' },
        ],
        security: [{}, { bearer: [] }],
        responses: {
          '200': { description: 'The GraphQL response; errors of the operation are inside it.', content: json('GraphQLResponse') },
          '400': { description: 'A malformed request, an operation over a limit, or a cross-site GET: BAD_USER_INPUT.', content: json('GraphQLResponse') },
          '401': unauthenticated,
        },
      },
      post: {
        tags: ['GraphQL'],
        operationId: 'graphqlPost',
        summary: 'Run a query or mutation (GraphQL over HTTP, POST)',
        description:
          'The operations, arguments, errors, rate limits and scopes are in the API reference (docs/api). A JSON array runs a batch of at most MAX_BATCH_SIZE (25) operations. Subscriptions use WebSocket on this path (graphql-ws) or `POST /graphql/stream`.',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                oneOf: [
                  { $ref: '#/components/schemas/GraphQLRequest' },
                  { type: 'array', items: { $ref: '#/components/schemas/GraphQLRequest' }, maxItems: 25 },
                ],
              },
            },
          },
        },
        security: [{}, { bearer: [] }],
        responses: {
          '200': {
            description: 'The GraphQL response (an array of them for a batch); errors of the operation are inside it.',
            headers: {
              'RateLimit-Policy': { description: 'The tightest rate limit the operation touched, when it touched one.', schema: { type: 'string' } },
            },
            content: {
              'application/json': {
                schema: { oneOf: [{ $ref: '#/components/schemas/GraphQLResponse' }, { type: 'array', items: { $ref: '#/components/schemas/GraphQLResponse' } }] },
              },
            },
          },
          '400': { description: 'A body that is not JSON, an operation over a limit, or a batch too large: BAD_USER_INPUT.', content: json('GraphQLResponse') },
          '401': unauthenticated,
          '413': tooLarge,
        },
      },
    },
    '/graphql/stream': {
      post: {
        tags: ['GraphQL'],
        operationId: 'graphqlStream',
        summary: 'Subscribe over Server-Sent Events (graphql-sse)',
        description:
          'One subscription per request, in the distinct-connections mode of the graphql-sse protocol: the answer is an event stream of `next` events (each a GraphQL response) and a final `complete`. Access is checked when subscribing and again for every event. Queries and mutations go to `/graphql`.',
        parameters: [{ name: 'Accept', in: 'header', required: true, schema: { const: 'text/event-stream' } }],
        requestBody: { required: true, content: json('GraphQLRequest') },
        security: [{}, { bearer: [] }],
        responses: {
          '200': {
            description: 'The stream: `event: next` with `data: <GraphQL response>`, then `event: complete`.',
            content: { 'text/event-stream': { schema: { type: 'string' } } },
          },
          '400': { description: 'Not a valid subscription (a query or mutation, or an invalid document): BAD_USER_INPUT.', content: json('GraphQLErrorResponse') },
          '401': unauthenticated,
          '405': { description: 'Only POST: BAD_USER_INPUT.', content: json('GraphQLErrorResponse') },
          '429': { description: 'Too many live subscriptions for this user on this gateway (SUBSCRIPTIONS_PER_USER).', content: json('GraphQLErrorResponse') },
        },
      },
    },
    '/hooks/workflows/{id}': {
      post: {
        tags: ['Workflows'],
        operationId: 'workflowInboundMessage',
        summary: "Start an INBOUND workflow's run with a signed message (Standard Webhooks)",
        description:
          "The body is a JSON object, signed with the workflow's secret (`Workflow.inbound.secret`) as Standard Webhooks says: `webhook-signature: v1,<base64 HMAC-SHA256 of id.timestamp.body>`, the timestamp within five minutes. The run reads it as `trigger.message.body`. A message sent again with the same `webhook-id` starts nothing new and is answered like the first.",
        parameters: [
          { name: 'id', in: 'path', required: true, description: "The workflow's id.", schema: { type: 'string', format: 'uuid' } },
          { name: 'webhook-id', in: 'header', required: true, description: 'The message id, the same on every retry of it.', schema: { type: 'string' } },
          { name: 'webhook-timestamp', in: 'header', required: true, description: 'Unix seconds when it was signed.', schema: { type: 'string' } },
          { name: 'webhook-signature', in: 'header', required: true, description: 'Space-separated `v1,<base64>` signatures; one must match.', schema: { type: 'string' } },
        ],
        requestBody: { required: true, content: { 'application/json': { schema: { type: 'object' } } } },
        responses: {
          '202': { description: 'The run started (or had started, `duplicate: true`).', content: json('InboundRunStarted') },
          '400': { description: 'The body is not a JSON object.', content: json('RouteError') },
          '401': { description: 'The signature, id or timestamp is missing, wrong or stale.', content: json('RouteError') },
          '404': { description: 'No INBOUND workflow has this id.', content: json('RouteError') },
          '409': { description: 'The workflow is disabled.', content: json('RouteError') },
          '413': { ...tooLarge, description: 'The body is over 256 KiB: BAD_USER_INPUT.' },
        },
      },
    },
    '/oauth/token': {
      post: {
        tags: ['OAuth'],
        operationId: 'oauthToken',
        summary: 'Get tokens for an OAuth app (RFC 6749)',
        description:
          'A CONFIDENTIAL app authenticates with its secret by HTTP Basic (`client_id:client_secret`, each form-encoded) or in the form; a PUBLIC app sends its `client_id` alone. Grants: `authorization_code` with PKCE (S256), `refresh_token` (rotating) and `client_credentials` (confidential apps only).',
        security: [{ clientSecretBasic: [] }, {}],
        requestBody: {
          required: true,
          content: { 'application/x-www-form-urlencoded': { schema: { $ref: '#/components/schemas/TokenRequest' } } },
        },
        responses: {
          '200': { description: 'The tokens.', headers: noStoreHeaders, content: json('TokenResponse') },
          '400': oauthBadRequest,
          '401': oauthInvalidClient,
          '413': tooLarge,
        },
      },
    },
    '/oauth/revoke': {
      post: {
        tags: ['OAuth'],
        operationId: 'oauthRevoke',
        summary: "Revoke one of the app's tokens (RFC 7009)",
        description:
          'An access token is revoked alone; a refresh token with its whole grant. Unknown, already revoked and other clients\' tokens are answered 200 too, and left alone.',
        security: [{ clientSecretBasic: [] }, {}],
        requestBody: {
          required: true,
          content: { 'application/x-www-form-urlencoded': { schema: { $ref: '#/components/schemas/RevocationRequest' } } },
        },
        responses: {
          '200': { description: 'Done (an empty body).', headers: noStoreHeaders },
          '400': { ...oauthBadRequest, description: 'invalid_request: `token` is missing, or the body is not a form.' },
          '401': oauthInvalidClient,
          '413': tooLarge,
        },
      },
    },
    '/downloads/audit-exports/{id}': {
      get: {
        tags: ['Downloads'],
        operationId: 'downloadAuditExport',
        summary: 'Download an audit export',
        description:
          "The link `AuditExport.downloadUrl` gives (ask `auditExport(id)` for a fresh one): the signature is the only credential, for 15 minutes. Streams the export's entries, oldest first.",
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' }, description: "The export's id." },
          { name: 'expires', in: 'query', required: true, schema: { type: 'string', pattern: '^[0-9]{1,15}$' }, description: 'When the link stops working, in milliseconds since 1970 (UTC).' },
          { name: 'signature', in: 'query', required: true, schema: { type: 'string' }, description: 'base64url HMAC-SHA256 of the id and `expires`.' },
        ],
        security: [{}],
        responses: {
          '200': {
            description: 'The file, as an attachment.',
            headers: {
              'Content-Disposition': { description: '`attachment; filename="audit-<organization>-<export>.csv"` (or `.ndjson`).', schema: { type: 'string' } },
              'Cache-Control': { description: '`no-store`.', schema: { const: 'no-store' } },
            },
            content: {
              'text/csv': { schema: { type: 'string', description: 'A header row, then one row per entry; `changes` as JSON.' } },
              'application/x-ndjson': { schema: { type: 'string', description: 'One JSON object per entry and line.' } },
            },
          },
          '403': { description: 'The link is not valid (altered, for another export) or has expired: FORBIDDEN.', content: json('GraphQLErrorResponse') },
          '404': {
            description: 'No such export, or it is not ready (NOT_FOUND); or the id is not one.',
            content: { 'application/json': { schema: { oneOf: [{ $ref: '#/components/schemas/GraphQLErrorResponse' }, { $ref: '#/components/schemas/RouteError' }] } } },
          },
        },
      },
    },
    '/health/live': {
      get: {
        tags: ['Health'],
        operationId: 'healthLive',
        summary: 'Whether the process answers',
        security: [{}],
        responses: { '200': { description: 'It does.', content: json('Liveness') } },
      },
    },
    '/health/ready': {
      get: {
        tags: ['Health'],
        operationId: 'healthReady',
        summary: 'Whether the gateway can serve',
        security: [{}],
        responses: {
          '200': { description: 'Every subgraph is ready.', content: json('Readiness') },
          '503': { description: 'A subgraph is not ready: take this instance out of rotation.', content: json('Readiness') },
        },
      },
    },
    '/openapi.json': {
      get: {
        operationId: 'openApiDocument',
        summary: 'This document',
        security: [{}],
        responses: { '200': { description: 'The OpenAPI 3.1 document.', content: { 'application/json': { schema: { type: 'object' } } } } },
      },
    },
  },
  components: {
    schemas: openApiSchemas,
    securitySchemes: {
      bearer: {
        type: 'http',
        scheme: 'bearer',
        description: "A user's access token, an API key (`tnx_…`) or an OAuth access token (`tnxo_…`).",
      },
      clientSecretBasic: {
        type: 'http',
        scheme: 'basic',
        description: "A CONFIDENTIAL app's `client_id:client_secret` (client_secret_basic).",
      },
    },
  },
};
