import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { sendGraphQLError } from './send-json.ts';

/**
 * Apollo Server's `stringifyResult` for every server of the graph: the answer as compact
 * JSON, nothing after it. Apollo's default adds a newline, a byte per answer that no
 * client reads and the gateway would only parse past.
 */
export function compactJson(value: unknown): string {
  return JSON.stringify(value);
}

/** A complete answer about to be written, which a caller may still change (HTTP caching). */
export interface CompleteHttpAnswer {
  status: number;
  headers: HeaderMap;
  body: string;
}

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
  beforeSend: (answer: CompleteHttpAnswer) => CompleteHttpAnswer = (answer) => answer,
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
  if (result.body.kind === 'complete') {
    const answer = beforeSend({ status: result.status ?? 200, headers: result.headers, body: result.body.string });
    writeHead(response, answer.status, answer.headers, extraResponseHeaders);
    response.end(answer.body);
    return;
  }
  writeHead(response, result.status ?? 200, result.headers, extraResponseHeaders);
  for await (const chunk of result.body.asyncIterator) response.write(chunk);
  response.end();
}

function writeHead(response: ServerResponse, status: number, headers: HeaderMap, extra: Record<string, string>): void {
  for (const [name, value] of headers) response.setHeader(name, value);
  for (const [name, value] of Object.entries(extra)) response.setHeader(name, value);
  response.statusCode = status;
}
