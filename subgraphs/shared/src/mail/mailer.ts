import type { MailMessage } from './mail-message.ts';

/** What a mailer tells about a message it took. */
export interface SentMail {
  /** The message's Message-ID header, angle brackets included. */
  messageId: string;
}

/** Options for one send. */
export interface SendOptions {
  /** Gives up (with a transient {@link MailDeliveryError}) when aborted, e.g. on shutdown. */
  signal?: AbortSignal;
}

/**
 * Sends the platform's email: through SMTP in a deployment, or into a folder of `.eml`
 * files on a developer's machine ({@link createMailer} picks from the configuration).
 */
export interface Mailer {
  /**
   * Hands one message on (to the SMTP server, or to a file), from the platform's sender.
   *
   * @throws InvalidMailMessageError when the message's headers are unsafe.
   * @throws MailDeliveryError when it could not be handed on; `permanent` says whether
   *   trying the same message again can help.
   */
  send(message: MailMessage, options?: SendOptions): Promise<SentMail>;
  /** Releases connections; a closed mailer sends nothing more. */
  close(): Promise<void>;
}
