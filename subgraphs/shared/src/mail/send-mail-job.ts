import type { Logger } from '../logging/logger.ts';
import { MailDeliveryError } from './mail-delivery-error.ts';
import { InvalidMailMessageError } from './mail-message.ts';
import { renderMailTemplate, type MailTemplateRequest } from './mail-templates.ts';
import type { Mailer } from './mailer.ts';

/** A `mail.send` job's payload: which template, with which data. One recipient per job. */
export type MailJobPayload = MailTemplateRequest;

/**
 * The `mail.send` queue, shaped as the job runner's `JobDefinition<MailJobPayload>` (this
 * package cannot import it: the prisma package depends on this one). Twelve attempts on
 * the default backoff (1 s doubling, capped at an hour) ride out about an hour of relay
 * outage before a message is given up.
 */
export const mailSendJob = { queue: 'mail.send', maxAttempts: 12 } as const;

/**
 * The `run` of the `mail.send` job handler: renders the payload's template and sends it.
 *
 * A transient failure throws, so the job runner tries again later. A permanent one (the
 * server refused the message for good, or the payload cannot make a safe message) is
 * logged and the job ends normally: running it again would only be refused again.
 * An unknown template throws: it was enqueued by a newer version of the code, which a
 * later attempt on an updated worker can send.
 *
 * Safe to repeat as the job runner requires, with one caveat no mailer can lift: a worker
 * that dies after the server took the message but before the job is marked done sends it
 * twice.
 */
export function sendMailJobRun(mailer: Mailer, logger: Logger) {
  return async (payload: MailJobPayload, context?: { signal?: AbortSignal }): Promise<void> => {
    try {
      const message = renderMailTemplate(payload);
      const { messageId } = await mailer.send(message, { signal: context?.signal });
      logger.info({ template: payload.template, messageId }, 'mail sent');
    } catch (error) {
      if (!isPermanent(error)) throw error;
      logger.error({ template: payload.template, err: error }, 'mail given up: retrying cannot help');
    }
  };
}

function isPermanent(error: unknown): boolean {
  return error instanceof InvalidMailMessageError || (error instanceof MailDeliveryError && error.permanent);
}
