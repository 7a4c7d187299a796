import { BadUserInputError } from '@token-nexus/shared';
import { replaceOp, type as json1, type JSONOp } from 'ot-json1';
import { jsonNestingExceeds } from '../validation/json-nesting.ts';

/**
 * Operations on a page's document are ot-json1 operations
 * (https://github.com/ottypes/json1): a well-kept JSON OT type with moves, list
 * insertions that shift, and text edits inside strings. The server is the authority on
 * order: every accepted operation gets the next version, and an operation made against an
 * older version is transformed against everything accepted since.
 *
 * Conflicts (two editors writing the same key at once, say) are resolved, not refused:
 * the operation accepted first wins (`transformNoConflict` with the incoming operation on
 * the left, as ShareDB does). Clients must transform the same way to converge: their
 * pending operations with `json1.type.transformNoConflict(pending, incoming, 'left')` and
 * incoming operations with `transformNoConflict(incoming, pending, 'right')`.
 */
export type { JSONOp };

/** What one submission may carry. */
export const operationLimits = {
  /** Operations in one submission (composed into one before they are applied). */
  maxOperations: 100,
  /** Their JSON, in bytes. */
  maxBytes: 64 * 1024,
  /** Nesting of arrays and objects in one operation: paths of the deepest document nodes fit. */
  maxNesting: 64,
};

/**
 * Checks a submission's operations and composes them into one. Anything malformed is a
 * BAD_USER_INPUT naming the operation; nothing has been read or written yet.
 */
export function parseOperations(value: unknown): JSONOp {
  if (!Array.isArray(value) || value.length === 0) {
    throw new BadUserInputError('operations: must be a non-empty list of ot-json1 operations', { field: 'operations' });
  }
  if (value.length > operationLimits.maxOperations) {
    throw new BadUserInputError(`operations: at most ${operationLimits.maxOperations} per submission`, {
      field: 'operations',
    });
  }
  if (jsonNestingExceeds(value, operationLimits.maxNesting + 1)) {
    throw new BadUserInputError(`operations: nested more than ${operationLimits.maxNesting} levels deep`, {
      field: 'operations',
    });
  }
  const bytes = Buffer.byteLength(JSON.stringify(value));
  if (bytes > operationLimits.maxBytes) {
    throw new BadUserInputError(`operations: ${bytes} bytes; at most ${operationLimits.maxBytes} per submission`, {
      field: 'operations',
    });
  }
  let composed: JSONOp = null;
  value.forEach((operation: unknown, index) => {
    const field = `operations[${index}]`;
    try {
      json1.checkValidOp(operation as JSONOp);
      composed = json1.compose(composed, operation as JSONOp);
    } catch (error) {
      throw new BadUserInputError(`${field}: not a valid ot-json1 operation (${(error as Error).message})`, { field });
    }
  });
  return composed;
}

/** `operation`, made against an older document, transformed to follow `accepted` (oldest first). */
export function transformAgainst(operation: JSONOp, accepted: readonly JSONOp[]): JSONOp {
  return accepted.reduce<JSONOp>((current, earlier) => json1.transformNoConflict(current, earlier, 'left'), operation);
}

/**
 * The document after `operation`. An operation that does not fit the document (a path
 * that is not there, an edit of the wrong type) is a BAD_USER_INPUT; `document` is never
 * changed (ot-json1 copies what it edits).
 */
export function applyOperation(document: unknown, operation: JSONOp): unknown {
  try {
    return json1.apply(document as never, operation);
  } catch (error) {
    throw new BadUserInputError(`operations: do not apply to the document (${(error as Error).message})`, {
      field: 'operations',
    });
  }
}

/** The operation that replaces a whole document (how updatePage and a restore enter the history). */
export function replaceDocumentOperation(document: unknown): JSONOp {
  return replaceOp([], true, document as never);
}
