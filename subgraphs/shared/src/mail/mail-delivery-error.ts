/**
 * A message that was not handed on. A background job retries a transient failure (the
 * server was down, busy or slow, answered 4xx, the disk was full) and gives up on a
 * permanent one: the server refused this message for good (5xx), and sending the same
 * message again would only be refused again.
 */
export class MailDeliveryError extends Error {
  constructor(
    message: string,
    /** True when retrying the same message cannot succeed. */
    readonly permanent: boolean,
    /** The SMTP reply code, when the server gave one. */
    readonly responseCode: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MailDeliveryError';
  }
}
