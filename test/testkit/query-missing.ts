import type { fetch } from 'undici';
import { expect } from 'vitest';

type FetchResponse = Awaited<ReturnType<typeof fetch>>;

/** Asserts the gateway's answer to a GET without a query: 400, and how to send one. */
export async function expectQueryMissing(response: FetchResponse): Promise<void> {
  expect(response.status).toBe(400);
  const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
  const [error] = body.errors;
  expect(error?.extensions.code).toBe('BAD_USER_INPUT');
  expect(error?.message).toContain('no GraphQL query');
  expect(error?.message).toContain('POST');
  expect(error?.message).toContain('{"query": "{ me { id } }"}');
  expect(error?.message).toContain('/graphql?query=');
}
