import type { ASTNode } from 'graphql';
// graphql-js ships two builds: Node (and so Apollo and the gateway) loads the CommonJS one,
// while Vite, which runs our tests, resolves a bare 'graphql' to the ES module one. An error
// thrown into Apollo must be an instance of Apollo's GraphQLError, or Apollo answers it as an
// unexpected 500; naming the CommonJS entry gives Apollo's copy under both.
import { GraphQLError } from 'graphql/index.js';

/** The limits an operation or a request can hit, named as the variables that set them. */
export type OperationLimit =
  | 'MAX_QUERY_DEPTH'
  | 'MAX_ALIASES'
  | 'MAX_ROOT_FIELDS'
  | 'MAX_TOKENS'
  | 'MAX_DIRECTIVES'
  | 'MAX_QUERY_COST'
  | 'MAX_BATCH_SIZE';

/**
 * What a client is told in production instead of the detailed message: naming a limit and
 * its value would only help an attacker tune an operation to sit just under it.
 */
export const tooComplexMessage = 'The operation is too complex.';

/**
 * The extension that marks an error as a limit's refusal. It survives Apollo wrapping a
 * validation error (the extensions are kept, only the code is replaced), so the gateway's
 * error formatter and its request log can recognise the refusal; the formatter removes it.
 */
const limitExtension = 'operationLimit';

/**
 * An error refusing an operation over `limit`, answered with HTTP 400. The message names
 * the problem, the variable and the allowed value: "The operation asks for too many root
 * fields (12): MAX_ROOT_FIELDS allows 10." It is what the log records everywhere and what
 * clients see outside production.
 */
export function operationLimitError(
  limit: OperationLimit,
  allowed: number,
  problem: string,
  nodes?: ASTNode | readonly ASTNode[],
): GraphQLError {
  return new GraphQLError(`${problem}: ${limit} allows ${allowed}.`, {
    ...(nodes ? { nodes } : {}),
    // Apollo answers an error thrown from a plugin hook with 500 unless told otherwise.
    extensions: { code: 'BAD_USER_INPUT', [limitExtension]: limit, http: { status: 400 } },
  });
}

/** The limit an error (or formatted error) reports, or null when it is no limit's refusal. */
export function operationLimitOf(error: { extensions?: Record<string, unknown> }): OperationLimit | null {
  const limit = error.extensions?.[limitExtension];
  return typeof limit === 'string' ? (limit as OperationLimit) : null;
}

/** The extensions without the internal limit marker. */
export function withoutLimitMarker(extensions: Record<string, unknown> | undefined): Record<string, unknown> {
  const rest = { ...extensions };
  delete rest[limitExtension];
  return rest;
}
