import { createTransport, type NodemailerError } from 'nodemailer';
import { MailDeliveryError } from './mail-delivery-error.ts';
import { checkMailMessage } from './mail-message.ts';
import type { Mailer } from './mailer.ts';

/** Where and as whom the SMTP mailer sends. */
export interface SmtpMailerOptions {
  /**
   * `smtp://user:pass@host:587` (STARTTLS when the server offers it) or `smtps://…:465`
   * (TLS from the start). Query parameters set further nodemailer options, e.g.
   * `?requireTLS=true` to refuse a server that does not offer STARTTLS.
   */
  url: string;
  /** The From header, e.g. `Token Nexus <no-reply@example.com>`. */
  from: string;
}

/**
 * Bounds on each step, well under a job's lease, so a silent server fails the attempt (and
 * the job retries later) instead of holding the worker. Nodemailer's own defaults wait up
 * to two minutes for a connection and ten for an idle socket.
 */
const timeouts = {
  connectionTimeout: 10_000,
  greetingTimeout: 10_000,
  dnsTimeout: 10_000,
  socketTimeout: 30_000,
};

/**
 * A mailer that sends through an SMTP server (a relay such as Postmark, SES or the
 * company's own). One connection per message, no pool: the platform sends a message now
 * and then, each from its own job, and a pool would re-queue a message internally on a
 * broken connection, hiding the failure from the job's retry schedule.
 */
export function createSmtpMailer({ url, from }: SmtpMailerOptions): Mailer {
  const transport = createTransport(
    {
      url,
      ...timeouts,
      // Messages are strings the templates built; nodemailer must never read a file or a
      // URL on their behalf.
      disableFileAccess: true,
      disableUrlAccess: true,
    },
    { from },
  );
  return {
    async send(message, options = {}) {
      const { to, subject, text, html } = checkMailMessage(message);
      try {
        const sent = await transport.sendMail({ to, subject, text, html, signal: options.signal });
        return { messageId: sent.messageId };
      } catch (error) {
        throw smtpDeliveryError(error as NodemailerError);
      }
    },
    async close() {
      transport.close();
    },
  };
}

/**
 * Sorts nodemailer's error into permanent or transient. Nodemailer marks each SMTP reply
 * (`permanent`: 5xx except 503); with no reply (connection refused, timeout, TLS,
 * aborted) it is transient. A refused login (535) is transient too, although 5xx: it is the
 * platform's credentials that are wrong, not the message, and once the deployment is
 * fixed the retried job goes through instead of the mail being lost.
 */
function smtpDeliveryError(error: NodemailerError): MailDeliveryError {
  const permanent = error.permanent === true && error.code !== 'EAUTH';
  const reason = error.response ?? error.message;
  return new MailDeliveryError(`SMTP delivery failed (${error.code ?? 'unknown'}): ${reason}`, permanent, error.responseCode, {
    cause: error,
  });
}
