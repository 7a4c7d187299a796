import type { ContentObject, HeaderObject, MediaTypeObject, OpenAPIObject, ParameterObject, ResponseObject } from 'openapi3-ts/oas31';
import { openApiSchemas } from './openapi-schemas.ts';
import { sitesPaths } from './openapi-sites.ts';

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
 * The types media files are served as: those media accepts (MediaKind in the API
 * reference; an image's sizes are `image/webp`), and `application/octet-stream` for a
 * file stored without one. The signed URL may name the type (`type`), as downloads do.
 */
/** An export download's link (audit's and cms' alike, signed by shared/downloads): the export's id, `expires` and `signature`. */
const signedExportLinkParameters: ParameterObject[] = [
  { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' }, description: "The export's id." },
  { name: 'expires', in: 'query', required: true, schema: { type: 'string', pattern: '^[0-9]{1,15}$' }, description: 'When the link stops working, in milliseconds since 1970 (UTC).' },
  { name: 'signature', in: 'query', required: true, schema: { type: 'string' }, description: 'base64url HMAC-SHA256 of the id and `expires`.' },
];

const signedExportLinkRefused: ResponseObject = {
  description: 'The link is not valid (altered, for another export) or has expired: FORBIDDEN.',
  content: json('GraphQLErrorResponse'),
};

const mediaFileTypes = [
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/gif',
  'image/avif',
  'image/svg+xml',
  'application/pdf',
  'text/plain',
  'text/csv',
  'video/mp4',
  'video/webm',
  'audio/mpeg',
  'audio/ogg',
  'audio/wav',
  'application/octet-stream',
] as const;

const mediaFileContent: ContentObject = Object.fromEntries(
  mediaFileTypes.map((type): [string, MediaTypeObject] => [type, { schema: { type: 'string', description: "The file's bytes." } }]),
);

const mediaKeyPattern = '^orgs/[0-9a-f-]{36}/(uploads|variants)/[0-9a-f]{64}(\\.[a-z0-9]{1,8})?$';

const mediaKey: ParameterObject = {
  name: 'key',
  in: 'path',
  required: true,
  description:
    "The stored object: `orgs/<organization>/uploads/<sha256>` (an upload) or `orgs/<organization>/variants/<sha256>.<ext>` (an image's stripped original or size). Its slashes are sent as they are, not percent-encoded. Never built by hand: it is in the URL the API gives.",
  schema: { type: 'string', pattern: mediaKeyPattern },
};

/** The signed query of a `/media/files/` URL: the URL is the only credential, for one key, one operation, and until it expires. */
const signedMediaQuery = (op: 'get' | 'put'): ParameterObject[] => [
  { name: 'op', in: 'query', required: true, description: 'What the URL was signed for: `get` (GET and HEAD) or `put`.', schema: { const: op } },
  { name: 'expires', in: 'query', required: true, description: 'When the URL stops working, in Unix seconds (at most 7 days after it was signed).', schema: { type: 'string', pattern: '^[0-9]{1,12}$' } },
  {
    name: 'sig',
    in: 'query',
    required: true,
    description: 'base64url HMAC-SHA256 of the operation, key, `expires`, `type`, `size` and `filename` (MEDIA_URL_SECRET). Changing any of them, or adding one, breaks it.',
    schema: { type: 'string' },
  },
];

const mediaDownloadParameters: ParameterObject[] = [
  mediaKey,
  ...signedMediaQuery('get'),
  { name: 'type', in: 'query', description: 'The type the file is served as (else the type it was stored with).', schema: { type: 'string' } },
  { name: 'filename', in: 'query', description: 'The name a browser saves it under (`Content-Disposition`).', schema: { type: 'string' } },
  { name: 'Range', in: 'header', description: 'One byte range, `bytes=<first>-[<last>]` or `bytes=-<suffix>`; other forms get the whole file.', schema: { type: 'string' } },
  { name: 'If-None-Match', in: 'header', description: 'The ETag held (variants only).', schema: { type: 'string' } },
];

const publicMediaParameters: ParameterObject[] = [
  { ...mediaKey, description: "A variant's key: `orgs/<organization>/variants/<sha256>.<ext>`, as in the URL the API gives for a published page's image." },
  { name: 'sig', in: 'query', required: true, description: "The graph's signature of this public URL: it never expires, and only the graph makes one.", schema: { type: 'string' } },
  { name: 'Range', in: 'header', description: 'One byte range, as for `/media/files/{key}`.', schema: { type: 'string' } },
  { name: 'If-None-Match', in: 'header', description: 'The ETag held.', schema: { type: 'string' } },
];

const servedFileHeaders: Record<string, HeaderObject> = {
  'Content-Length': { description: 'The bytes of the answer.', schema: { type: 'integer' } },
  'Accept-Ranges': { description: '`bytes`.', schema: { const: 'bytes' } },
  'X-Content-Type-Options': { description: '`nosniff`.', schema: { const: 'nosniff' } },
  'Content-Security-Policy': {
    description: "For a type a browser would run as a page (SVG, HTML, XML): `default-src 'none'; style-src 'unsafe-inline'; sandbox`.",
    schema: { type: 'string' },
  },
};

const signedFileHeaders: Record<string, HeaderObject> = {
  ...servedFileHeaders,
  'Cache-Control': { description: '`private, max-age=<seconds until the URL expires>`.', schema: { type: 'string' } },
  'Content-Disposition': {
    description: 'When the URL names a `filename`: `inline` for raster images, audio and video, `attachment` for anything else (SVG, PDF, text), with `filename` and `filename*` (RFC 6266).',
    schema: { type: 'string' },
  },
  ETag: { description: "A variant's: the SHA-256 of its bytes. Uploads have none.", schema: { type: 'string' } },
};

const publicFileHeaders: Record<string, HeaderObject> = {
  ...servedFileHeaders,
  'Cache-Control': { description: '`public, max-age=31536000, immutable`: what is at a variant\'s key never changes.', schema: { const: 'public, max-age=31536000, immutable' } },
  ETag: { description: 'The SHA-256 of its bytes.', schema: { type: 'string' } },
};

const partialFile = (headers: Record<string, HeaderObject>): ResponseObject => ({
  description: 'The byte range asked for.',
  headers: { ...headers, 'Content-Range': { description: '`bytes <first>-<last>/<size>`.', schema: { type: 'string' } } },
  content: mediaFileContent,
});

const rangeNotSatisfiable: ResponseObject = {
  description: 'The range starts past the end of the file (no body).',
  headers: { 'Content-Range': { description: '`bytes */<size>`.', schema: { type: 'string' } } },
};

const notModified: ResponseObject = { description: '`If-None-Match` named the ETag: the copy held is current (no body).' };

const mediaUrlRefused: ResponseObject = {
  description: 'The URL is not valid (`reason: signature`: altered, signed for another key or operation, or not signed) or has expired (`reason: expired`). Ask the API for a new one.',
  content: json('MediaUrlRefused'),
};

const mediaNotFound: ResponseObject = {
  description: "Nothing is stored at this key (never uploaded, or deleted), the path is not a key's shape, or at `/media/public/` the key is an upload's.",
  content: json('RouteError'),
};

/** A HEAD answer is its GET's without the body. */
const withoutBody = ({ description, headers }: ResponseObject): ResponseObject => ({ description: `${description} As GET, without the body.`, ...(headers ? { headers } : {}) });

/**
 * The OpenAPI 3.1 description of the gateway's HTTP routes: the OAuth endpoints, export
 * downloads, the embedded media storage's files, workflow hooks, health, the graphql-sse
 * stream, and the GraphQL endpoint at the level of the GraphQL-over-HTTP specification
 * (its operations are the API reference's, in docs/api).
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
    { name: 'Sites', description: "What search engines read of an organization's public site: its sitemap and robots.txt." },
    {
      name: 'Media',
      description:
        "The files of the embedded media storage (MEDIA_STORAGE=folder), behind the URLs the API gives: `MediaUpload.uploadUrl`, `MediaAsset.url`, `MediaVariant.url`. With S3-compatible storage those URLs point at the bucket instead, and these routes answer 404.",
    },
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
        parameters: signedExportLinkParameters,
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
          '403': signedExportLinkRefused,
          '404': {
            description: 'No such export, or it is not ready (NOT_FOUND); or the id is not one.',
            content: { 'application/json': { schema: { oneOf: [{ $ref: '#/components/schemas/GraphQLErrorResponse' }, { $ref: '#/components/schemas/RouteError' }] } } },
          },
        },
      },
    },
    '/downloads/cms-exports/{id}': {
      get: {
        tags: ['Downloads'],
        operationId: 'downloadFormSubmissionExport',
        summary: "Download an export of a form's leads",
        description:
          "The link `exportFormSubmissions` answers (`FormSubmissionExport.url`; export again for a fresh one): the signature is the only credential, for 15 minutes. Streams the leads the export holds, newest first, as CSV.",
        parameters: signedExportLinkParameters,
        security: [{}],
        responses: {
          '200': {
            description: 'The file, as an attachment.',
            headers: {
              'Content-Disposition': { description: '`attachment; filename="form-submissions-<form>-<export>.csv"`.', schema: { type: 'string' } },
              'Cache-Control': { description: '`no-store`.', schema: { const: 'no-store' } },
            },
            content: {
              'text/csv': {
                schema: {
                  type: 'string',
                  description:
                    "A header row (`id`, `submittedAt`, `locale`, `pageSlug`, then the form's fields), then one row per lead. A cell that would start with `=`, `+`, `-`, `@`, a tab or a carriage return starts with `'` instead, so spreadsheets show it as text.",
                },
              },
            },
          },
          '403': signedExportLinkRefused,
          '404': {
            description: 'No such export (NOT_FOUND); or the id is not one.',
            content: { 'application/json': { schema: { oneOf: [{ $ref: '#/components/schemas/GraphQLErrorResponse' }, { $ref: '#/components/schemas/RouteError' }] } } },
          },
        },
      },
    },
    '/media/files/{key}': {
      get: {
        tags: ['Media'],
        operationId: 'downloadMediaFile',
        summary: 'Download a media file through a signed URL',
        description:
          "The URL `MediaAsset.url` or `MediaVariant.url` gives, as it is: the signed query is the only credential (no bearer token is read, none is needed), for this key and until `expires`. Streamed; one byte range may be asked for.",
        parameters: mediaDownloadParameters,
        security: [{}],
        responses: {
          '200': { description: 'The file, as the type the URL names (`type`), else as the type it was stored with; never sniffed.', headers: signedFileHeaders, content: mediaFileContent },
          '206': partialFile(signedFileHeaders),
          '304': notModified,
          '400': { description: 'The path is not a storage key.', content: json('RouteError') },
          '403': mediaUrlRefused,
          '404': mediaNotFound,
          '416': rangeNotSatisfiable,
        },
      },
      head: {
        tags: ['Media'],
        operationId: 'headMediaFile',
        summary: "A media file's headers, through a signed URL",
        description: 'As GET, without the body. A download URL (`op=get`) serves both.',
        parameters: mediaDownloadParameters,
        security: [{}],
        responses: {
          '200': withoutBody({ description: 'The file is there.', headers: signedFileHeaders }),
          '304': notModified,
          '400': withoutBody({ description: 'The path is not a storage key.' }),
          '403': withoutBody(mediaUrlRefused),
          '404': withoutBody(mediaNotFound),
        },
      },
      put: {
        tags: ['Media'],
        operationId: 'uploadMediaFile',
        summary: "Send an upload's bytes to a signed URL",
        description:
          "The `uploadUrl` of `createMediaUpload`, with `uploadMethod` (PUT) and `uploadHeaders`: the body is the file, exactly the `size` declared, with `Content-Type` exactly the declared `type`. It is streamed to storage and stored whole or not at all; sending it again replaces it. Then call `completeMediaUpload`, which checks the bytes.",
        parameters: [
          mediaKey,
          ...signedMediaQuery('put'),
          { name: 'type', in: 'query', required: true, description: 'The content type declared to createMediaUpload; the body must be sent with it.', schema: { type: 'string' } },
          { name: 'size', in: 'query', required: true, description: 'The byte size declared; the body must be exactly this long.', schema: { type: 'string', pattern: '^[0-9]{1,15}$' } },
          { name: 'Content-Length', in: 'header', required: true, description: 'The size: a body without it (chunked) is refused, as S3 refuses it.', schema: { type: 'integer' } },
        ],
        security: [{}],
        requestBody: {
          required: true,
          description: 'The file, sent with `Content-Type` equal to `type`.',
          content: { '*/*': { schema: { type: 'string', description: "The file's bytes." } } },
        },
        responses: {
          '200': { description: 'Stored (no body).' },
          '400': { description: 'The body is shorter than `size`, or its Content-Type is not `type`; or the path is not a storage key. Nothing is stored.', content: json('RouteError') },
          '403': mediaUrlRefused,
          '411': { description: 'No Content-Length. Nothing is stored.', content: json('RouteError') },
          '413': { description: 'The body is longer than `size`, or than any upload may be (MEDIA_MAX_BYTES). Nothing is stored, and the connection is closed.', content: json('RouteError') },
        },
      },
    },
    '/media/public/{key}': {
      get: {
        tags: ['Media'],
        operationId: 'downloadPublicMediaVariant',
        summary: "Download a published image's variant",
        description:
          "An image's stripped original or size, at the immutable URL a published page's `MediaVariant.url` gives: signed without an expiry, content-addressed (the key is the SHA-256 of the bytes, so what is at a URL never changes) and cacheable for a year. A member's short-lived URL of the same variant is not valid here. Uploads are never served here.",
        parameters: publicMediaParameters,
        security: [{}],
        responses: {
          '200': { description: 'The variant, as the type it was stored with.', headers: publicFileHeaders, content: mediaFileContent },
          '206': partialFile(publicFileHeaders),
          '304': notModified,
          '403': { ...mediaUrlRefused, description: 'The signature is missing or not the graph\'s public one (`reason: "signature"`).' },
          '404': mediaNotFound,
          '416': rangeNotSatisfiable,
        },
      },
      head: {
        tags: ['Media'],
        operationId: 'headPublicMediaVariant',
        summary: "A published image's variant's headers",
        description: 'As GET, without the body.',
        parameters: publicMediaParameters,
        security: [{}],
        responses: {
          '200': withoutBody({ description: 'The variant is there.', headers: publicFileHeaders }),
          '304': notModified,
          '403': withoutBody({ ...mediaUrlRefused, description: 'The signature is missing or not the graph\'s public one.' }),
          '404': withoutBody(mediaNotFound),
        },
      },
    },
    ...sitesPaths,
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
