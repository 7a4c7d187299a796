import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { sendGraphQLError } from './send-json.ts';

/**
 * Runs one HTTP request through Apollo Server (its documented integration API) and writes
 * the answer. The caller has read (and, for subgraphs, verified) the raw body; this parses
 * it, so a malformed body gets a GraphQL-shaped BAD_USER_INPUT answer.
 */
export async function executeApolloRequest<TContext extends BaseContext>(
  server: ApolloServer<TContext>,
  request: IncomingMessage,
  response: ServerResponse,
  rawBody: Buffer | undefined,
  context: () => Promise<TContext>,
  extraResponseHeaders: Record<string, string> = {},
): Promise<void> {
  let body: unknown;
  if (request.method === 'POST') {
    try {
      body = JSON.parse((rawBody ?? Buffer.alloc(0)).toString('utf8'));
    } catch {
      sendGraphQLError(response, 'BAD_USER_INPUT', 'The request body is not valid JSON.');
      return;
    }
  }
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const url = new URL(request.url ?? '/', 'http://localhost');
  const result = await server.executeHTTPGraphQLRequest({
    httpGraphQLRequest: {
      method: request.method?.toUpperCase() ?? 'GET',
      headers,
      search: url.search,
      body,
    },
    context,
  });
  for (const [name, value] of result.headers) response.setHeader(name, value);
  for (const [name, value] of Object.entries(extraResponseHeaders)) response.setHeader(name, value);
  response.statusCode = result.status ?? 200;
  if (result.body.kind === 'complete') {
    response.end(result.body.string);
    return;
  }
  for await (const chunk of result.body.asyncIterator) response.write(chunk);
  response.end();
}
