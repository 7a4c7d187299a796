import type { SchemaObject } from 'openapi3-ts/oas31';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** What a client may send to authenticate at the OAuth endpoints in the form (RFC 6749 §2.3.1). */
const clientFields: Record<string, SchemaObject> = {
  client_id: {
    type: 'string',
    description: "The app's client id (`tnxapp_…`). Required for a PUBLIC app, and for a CONFIDENTIAL one that does not use HTTP Basic.",
  },
  client_secret: {
    type: 'string',
    description: "A CONFIDENTIAL app's client secret (`tnxcs_…`), when it does not use HTTP Basic. A PUBLIC app sends none.",
  },
};

/**
 * The bodies of the gateway's HTTP routes that are not GraphQL (components/schemas of the
 * OpenAPI document). JSON Schema 2020-12, as OpenAPI 3.1 has it.
 */
export const openApiSchemas: Record<string, SchemaObject> = {
  AuthorizationCodeGrant: {
    type: 'object',
    description: 'The authorization-code grant with PKCE (RFC 6749 §4.1.3, RFC 7636): exchanges the one-time code for tokens.',
    required: ['grant_type', 'code', 'redirect_uri', 'code_verifier'],
    properties: {
      grant_type: { const: 'authorization_code' },
      code: { type: 'string', description: 'The code from the redirect (valid 10 minutes, once).' },
      redirect_uri: { type: 'string', description: 'The redirect URI the code was issued for, exactly.' },
      code_verifier: { type: 'string', pattern: '^[A-Za-z0-9._~-]{43,128}$', description: 'The PKCE verifier whose S256 challenge was sent.' },
      ...clientFields,
    },
  },
  RefreshTokenGrant: {
    type: 'object',
    description: 'The refresh-token grant (RFC 6749 §6), rotating: the refresh token is spent and a new one answered. A spent one presented again revokes its whole grant.',
    required: ['grant_type', 'refresh_token'],
    properties: {
      grant_type: { const: 'refresh_token' },
      refresh_token: { type: 'string', description: 'The refresh token (`tnxor_…`) of the last answer.' },
      scope: { type: 'string', description: 'Space-separated scopes to narrow the new access token to (never more than the grant holds).' },
      ...clientFields,
    },
  },
  ClientCredentialsGrant: {
    type: 'object',
    description: "The client-credentials grant (RFC 6749 §4.4), CONFIDENTIAL apps only: the app acts for its own organization.",
    required: ['grant_type'],
    properties: {
      grant_type: { const: 'client_credentials' },
      scope: { type: 'string', description: "Space-separated scopes among the app's allowed ones; all of them when omitted." },
      ...clientFields,
    },
  },
  TokenRequest: {
    description: 'A token request, form-encoded; `grant_type` says which grant.',
    oneOf: [ref('AuthorizationCodeGrant'), ref('RefreshTokenGrant'), ref('ClientCredentialsGrant')],
  },
  TokenResponse: {
    type: 'object',
    description: 'Tokens issued (RFC 6749 §5.1). Never cached: `Cache-Control: no-store`.',
    required: ['access_token', 'token_type', 'expires_in', 'scope'],
    properties: {
      access_token: { type: 'string', pattern: '^tnxo_', description: 'Send as `Authorization: Bearer <access_token>` to `/graphql`.' },
      token_type: { const: 'Bearer' },
      expires_in: { type: 'integer', description: 'Seconds the access token lives (3600).' },
      scope: { type: 'string', description: 'The scopes the access token carries, space-separated.' },
      refresh_token: {
        type: 'string',
        pattern: '^tnxor_',
        description: 'The next refresh token of the grant (authorization-code and refresh-token grants only); lives 30 days unused, within the 90 days of its grant.',
      },
    },
    additionalProperties: false,
  },
  RevocationRequest: {
    type: 'object',
    description: "A revocation request (RFC 7009 §2.1), form-encoded. The client authenticates as at the token endpoint.",
    required: ['token'],
    properties: {
      token: { type: 'string', description: "One of the client's tokens: an access token (`tnxo_…`, revoked alone) or a refresh token (`tnxor_…`, revoked with its whole grant)." },
      token_type_hint: { type: 'string', description: 'Accepted and ignored: the token says its own kind.' },
      ...clientFields,
    },
  },
  OAuthError: {
    type: 'object',
    description: 'An OAuth error answer (RFC 6749 §5.2, RFC 7009 §2.2.1).',
    required: ['error', 'error_description'],
    properties: {
      error: {
        enum: ['invalid_request', 'invalid_client', 'invalid_grant', 'invalid_scope', 'unauthorized_client', 'unsupported_grant_type'],
        description:
          'invalid_client (401): the client id is unknown or revoked, or a secret is wrong, missing (confidential) or sent by a public client. invalid_request: a required field is missing or the body is not a form. invalid_grant: the code, verifier or refresh token is not valid, spent, expired or revoked. invalid_scope: more than the grant or app allows. unauthorized_client: a public client asked for client credentials. unsupported_grant_type: another grant_type.',
      },
      error_description: { type: 'string', description: 'What went wrong, for people.' },
    },
    additionalProperties: false,
  },
  GraphQLError: {
    type: 'object',
    required: ['message', 'extensions'],
    properties: {
      message: { type: 'string' },
      path: { type: 'array', items: { type: ['string', 'integer'] } },
      locations: { type: 'array', items: { type: 'object' } },
      extensions: {
        type: 'object',
        required: ['code'],
        properties: {
          code: {
            enum: [
              'UNAUTHENTICATED',
              'FORBIDDEN',
              'BAD_USER_INPUT',
              'NOT_FOUND',
              'CONFLICT',
              'RATE_LIMITED',
              'QUOTA_EXCEEDED',
              'NOT_CONFIGURED',
              'UNAVAILABLE',
              'INTERNAL_SERVER_ERROR',
              'PERSISTED_QUERY_NOT_FOUND',
              'PERSISTED_QUERY_NOT_SUPPORTED',
            ],
            description: 'What a client can act on: see the ErrorCode enum in the API reference (docs/api).',
          },
          requestId: { type: 'string', description: 'The `x-request-id` of the response, to quote when reporting it.' },
        },
      },
    },
  },
  GraphQLErrorResponse: {
    type: 'object',
    description: 'A request refused before or outside GraphQL execution, in the GraphQL response shape.',
    required: ['errors'],
    properties: { errors: { type: 'array', minItems: 1, items: ref('GraphQLError') } },
  },
  GraphQLRequest: {
    type: 'object',
    description: 'A GraphQL-over-HTTP request.',
    properties: {
      query: { type: 'string', description: 'The operation document (omit only with an automatic persisted query hash).' },
      operationName: { type: ['string', 'null'] },
      variables: { type: ['object', 'null'] },
      extensions: { type: ['object', 'null'], description: '`persistedQuery: { version: 1, sha256Hash }` for automatic persisted queries.' },
    },
  },
  GraphQLResponse: {
    type: 'object',
    description: 'A GraphQL response: `data`, and `errors` each with `extensions.code`.',
    properties: {
      data: { type: ['object', 'null'] },
      errors: { type: 'array', items: ref('GraphQLError') },
      extensions: { type: 'object' },
    },
    anyOf: [{ required: ['data'] }, { required: ['errors'] }],
  },
  InboundRunStarted: {
    type: 'object',
    required: ['runId', 'duplicate'],
    properties: {
      runId: { type: 'string', format: 'uuid', description: 'The run the message started.' },
      duplicate: { type: 'boolean', description: 'True when this `webhook-id` had started the run already.' },
    },
    additionalProperties: false,
  },
  MediaUrlRefused: {
    type: 'object',
    description: 'A media file URL refused: `reason` says whether it is not valid or has expired.',
    required: ['error', 'reason'],
    properties: {
      error: { type: 'string', description: 'What is wrong, for people.' },
      reason: {
        enum: ['signature', 'expired'],
        description: '`signature`: the URL was altered, signed for another key or operation, or not signed. `expired`: it was valid until `expires`.',
      },
    },
    additionalProperties: false,
  },
  RouteError: {
    type: 'object',
    description: 'The gateway answers a path it does not serve, or a method a route does not take, with this.',
    required: ['error'],
    properties: { error: { type: 'string' }, requestId: { type: 'string' } },
  },
  Liveness: {
    type: 'object',
    required: ['status'],
    properties: { status: { const: 'ok' } },
    additionalProperties: false,
  },
  Readiness: {
    type: 'object',
    description: "Whether the gateway can serve: every subgraph's own `/health/ready` (which checks its database) must answer.",
    required: ['status', 'subgraphs', 'redis', 'cache', 'sessions', 'rateLimits'],
    properties: {
      status: { enum: ['ok', 'unavailable'], description: '`ok` when every subgraph is.' },
      subgraphs: {
        type: 'object',
        description: 'Each subgraph by name (identity, audit, cms, tokens, ai, integrations).',
        additionalProperties: { enum: ['ok', 'unavailable'] },
      },
      redis: {
        enum: ['ok', 'unavailable', 'in-memory'],
        description: 'Reported only: without Redis the gateway still serves. `in-memory` when none is configured (one process holds that state).',
      },
      cache: {
        enum: ['ok', 'unavailable', 'in-memory', 'off'],
        description:
          "The cache of subgraph answers: `ok` when its store answers, `unavailable` while it does not (fetches then bypass it), `in-memory` in one process, `off` with GATEWAY_CACHE=off.",
      },
      sessions: {
        enum: ['mirrored', 'per-request', 'in-memory'],
        description:
          'How a request\'s session is checked against the ended ones: `mirrored` in this gateway\'s own copy, kept current from Redis; `per-request` in Redis, while that copy loads or its subscription is down; `in-memory` in one process.',
      },
      rateLimits: {
        type: 'object',
        description: 'How each subgraph counts rate limits: `shared` in Redis, or `local` while Redis is away.',
        additionalProperties: { type: 'string' },
      },
    },
    additionalProperties: false,
  },
};
