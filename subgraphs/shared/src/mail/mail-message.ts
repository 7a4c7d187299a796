import { isMailAddress } from './mail-address.ts';

/**
 * One email to one person, as the templates build it and a {@link Mailer} sends it. The
 * sender is the platform's (MAIL_FROM), never the message's: nothing a user typed can
 * choose who a message claims to come from.
 */
export interface MailMessage {
  /** A bare address (`someone@example.com`); one recipient per message. */
  to: string;
  /** One line. */
  subject: string;
  text: string;
  /** Every value a user chose is escaped in it (the templates build it with `html`). */
  html: string;
}

/**
 * A message that must not be sent as it is: sending it again will not help, so a job
 * that meets it gives up instead of retrying.
 */
export class InvalidMailMessageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidMailMessageError';
  }
}

/** Control characters, including the line breaks that would end a header early. */
const controlCharacters = /[\p{Cc}\u2028\u2029]/u;
const controlCharacterRuns = /[\p{Cc}\u2028\u2029]+/gu;

/**
 * Checks that a message's headers can carry only what they say: `to` is one bare address
 * and `subject` one line, so no value can end a header and start another (a `Bcc:`, say).
 * Both mailers call it before sending, whoever built the message.
 *
 * @throws InvalidMailMessageError naming what is wrong.
 */
export function checkMailMessage(message: MailMessage): MailMessage {
  if (!isMailAddress(message.to)) {
    throw new InvalidMailMessageError('The recipient must be one plain email address');
  }
  if (message.subject.trim() === '' || controlCharacters.test(message.subject)) {
    throw new InvalidMailMessageError('The subject must be one non-empty line');
  }
  return message;
}

/**
 * `value` on one line, for interpolating into a subject: a line break or other control
 * character in an organization's name becomes a space instead of refusing the whole
 * message (an invitation should still arrive; the header still cannot be split).
 */
export function oneLine(value: string): string {
  return value.replace(controlCharacterRuns, ' ').trim();
}

/**
 * `value` if it is an absolute http(s) URL, for links in a message: a `javascript:` or
 * `data:` URL in an email is an attack, not a link.
 *
 * @throws InvalidMailMessageError otherwise.
 */
export function webLink(value: string): string {
  if (!URL.canParse(value) || !['http:', 'https:'].includes(new URL(value).protocol)) {
    throw new InvalidMailMessageError('A link in a message must be an absolute http(s) URL');
  }
  return new URL(value).href;
}
