import { isEnumType, type GraphQLNamedType, type GraphQLSchema } from 'graphql';
import { domains, indexFile } from './domains.ts';
import { cell, generatedNotice, link, type TypeLocator } from './markdown.ts';
import { generalErrorCodes } from './render-operation.ts';
import { renderType } from './render-type.ts';
import type { SupergraphFacts } from './supergraph-facts.ts';

/** Why each general code can come from any operation, for the index's error section. */
const generalReasons: Record<string, string> = {
  UNAUTHENTICATED: 'the credential sent is not valid (expired, revoked, malformed), or the field needs a signed-in caller and none was sent',
  FORBIDDEN: "the caller's role, membership or scopes do not allow the field (an API key or OAuth app reaches only fields whose scopes it holds, and no root field that declares none)",
  BAD_USER_INPUT: 'the operation is malformed, over an operation limit (depth, aliases, cost…), or an argument is invalid',
  INTERNAL_SERVER_ERROR: 'something failed on our side',
  PERSISTED_QUERY_NOT_FOUND: 'an automatic persisted query was sent by hash alone and the hash is unknown',
  PERSISTED_QUERY_NOT_SUPPORTED: 'automatic persisted queries are turned off on the endpoint',
};

/** docs/api/README.md: how to call the graph, the error codes, the domains, and the shared types. */
export function renderIndex(options: {
  schema: GraphQLSchema;
  facts: SupergraphFacts;
  locate: TypeLocator;
  sharedTypes: GraphQLNamedType[];
}): string {
  const { schema, facts, locate, sharedTypes } = options;
  const errorCode = schema.getType('ErrorCode');
  if (!isEnumType(errorCode)) throw new Error('the API schema has no ErrorCode enum');
  const counts = (subgraph: string, rootType: string) =>
    [...facts.rootFields.entries()].filter(([name, field]) => field.subgraph === subgraph && name.startsWith(`${rootType}.`)).length;
  const sections = [
    generatedNotice,
    '# API reference',
    [
      'The Token Nexus graph is one GraphQL endpoint on the gateway: `POST /graphql` (or `GET /graphql` for queries),',
      'subscriptions over WebSocket on the same path (graphql-ws) or as Server-Sent Events on `POST /graphql/stream`',
      '(graphql-sse). Each page below documents the operations of one domain (the subgraph that serves them) with',
      'their arguments, the errors they can return, their rate limits, what API keys and OAuth apps need to call them,',
      'and an example; then the types the domain is home to.',
    ].join('\n'),
    [
      'The routes that are not GraphQL (the OAuth token and revocation endpoints, export downloads, health, the',
      'graphql-sse stream) are described in an OpenAPI 3.1 document the gateway serves at `GET /openapi.json`.',
    ].join('\n'),
    `## Domains\n\n${[
      '| page | what it covers | queries | mutations | subscriptions |',
      '|---|---|---|---|---|',
      ...domains.map(
        (domain) =>
          `| ${link(domain.title, domain.file)} | ${domain.summary} | ${counts(domain.subgraph, 'Query')} | ${counts(domain.subgraph, 'Mutation')} | ${counts(domain.subgraph, 'Subscription')} |`,
      ),
    ].join('\n')}`,
    `## Calling the graph\n\n${[
      "- **Credentials.** Send `Authorization: Bearer <token>`: a user's access token (from `signUp`, `logIn` or `refreshSession`; 15 minutes), an API key (`tnx_…`), or an OAuth access token (`tnxo_…`, from `POST /oauth/token`). Without one you are anonymous, which few fields allow.",
      "- **Who may call what.** Each operation's description says which members may call it (OWNER, ADMIN, MEMBER, VIEWER of the organization it acts on, or a system administrator). API keys and OAuth apps reach only the root fields that declare scopes, with the scopes they hold; users' own sessions are not limited by scopes.",
      '- **Lists** are Relay connections: `first` (0–100, default 20) and `after` (the previous page\'s `pageInfo.endCursor`).',
      '- **Rate limits.** An operation with one says so. Every resolution counts (aliases, fragments, batched requests); over the limit the field is null with `RATE_LIMITED` and `extensions.rateLimit { limit, window, retryAfter }`, and responses carry `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset`, `RateLimit-Policy` and `Retry-After`.',
      '- **Examples.** Every operation has one. A test runs each against a real graph, with ids of data it seeds in place of the ones shown, so they stay true; an example that needs something outside the graph (a running chain, an AI provider) says which code a graph without it answers, and the test expects that code.',
    ].join('\n')}`,
    `## Errors\n\n${[
      'Every error in a response carries `extensions.code`, one of these (the schema\'s `ErrorCode` enum); the message says more, for people, and every response carries its `x-request-id`.',
      '',
      `| code | meaning |\n|---|---|\n${errorCode
        .getValues()
        .map((value) => `| \`${value.name}\` | ${cell(value.description)} |`)
        .join('\n')}`,
      '',
      'Any operation can return these, whatever it does, so an operation\'s page does not repeat them:',
      '',
      ...generalErrorCodes.map((code) => `- \`${code}\`: ${generalReasons[code]}.`),
      '',
      "Each operation lists the codes particular to it: those its description names, `RATE_LIMITED` when it has a rate limit, and the code its example answers when it needs something outside the graph. A mutation that acts on something by id also answers `NOT_FOUND` when it does not exist or is not yours to see, where a query that looks one up answers null, as its description says.",
    ].join('\n')}`,
    `## Shared types\n\nTypes every domain uses alike.`,
    ...sharedTypes.map((type) => renderType(type, indexFile, locate)),
  ];
  return `${sections.join('\n\n')}\n`;
}
