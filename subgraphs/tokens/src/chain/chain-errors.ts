/**
 * The two ways a chain operation fails that callers must tell apart: try again later, or
 * give up on this operation. Anything else thrown by the chain client is a bug (ours or
 * the caller's), not a chain condition.
 */

/**
 * The node could not be asked: unreachable, too slow (past the client's timeout), failing
 * with 5xx or 429, or serving another chain than configured. Retryable: nothing was
 * decided on chain because of this call.
 */
export class ChainUnavailableError extends Error {
  override readonly name = 'ChainUnavailableError';
}

/**
 * The chain refuses the operation itself: the contract would revert (`reason` is the
 * decoded custom error, e.g. `EnforcedPause`, `OwnableUnauthorizedAccount`,
 * `ERC20InsufficientBalance`), or the node rejects the signed transaction (`reason` is
 * e.g. `NONCE_EXPIRED`, `INSUFFICIENT_FUNDS`, `REPLACEMENT_UNDERPRICED`). Sending the same
 * thing again would be refused again; the message adds the details (decoded arguments,
 * the node's words).
 */
export class ChainCallRefusedError extends Error {
  override readonly name = 'ChainCallRefusedError';

  constructor(
    readonly reason: string,
    message: string = reason,
  ) {
    super(message);
  }
}

/**
 * The node refuses an eth_getLogs because the block range (or the number of results) is
 * more than it serves in one request: ask again for a smaller range.
 */
export class LogRangeTooLargeError extends Error {
  override readonly name = 'LogRangeTooLargeError';
}
