import type { ServerResponse } from 'node:http';
import { httpStatusFor, type ErrorCode } from '../errors/error-codes.ts';

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const payload = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    ...headers,
  });
  response.end(payload);
}

/**
 * Answers a request that fails before GraphQL execution, in the GraphQL response shape so
 * clients handle it like any other error.
 */
export function sendGraphQLError(
  response: ServerResponse,
  code: ErrorCode,
  message: string,
  extensions: Record<string, unknown> = {},
  status = httpStatusFor(code),
): void {
  sendJson(response, status, { errors: [{ message, extensions: { ...extensions, code } }] });
}
