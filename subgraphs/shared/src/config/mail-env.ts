import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { isSenderMailbox } from '../mail/mail-address.ts';
import { url, type EnvContext } from './load-env.ts';

const smtpUrl = url(['smtp:', 'smtps:'], 'must be an smtp:// or smtps:// URL');
const sender = z.string().refine(isSenderMailbox, 'must be one address, e.g. "Token Nexus <no-reply@example.com>"');

/**
 * The variables of a service that sends email. With no SMTP_URL, messages are written as
 * `.eml` files to MAIL_DIR instead, which is how the quick start needs no mail server.
 */
export function mailEnv({ production }: EnvContext) {
  return {
    // A production process writing mail to a local folder would lose every message
    // without a word, so there a relay is required, like REDIS_URL.
    SMTP_URL: production ? z.string({ message: 'is required in production' }).pipe(smtpUrl) : smtpUrl.optional(),
    // Mail from a localhost address is refused or filtered as spam by real receivers, so
    // production names a sender of its own domain rather than getting the stand-in.
    MAIL_FROM: production
      ? z.string({ message: 'is required in production (e.g. "Token Nexus <no-reply@example.com>")' }).pipe(sender)
      : sender.default('Token Nexus <no-reply@localhost>'),
    MAIL_DIR: z.string().default(defaultMailDir),
  };
}

/** `.data/mail` at the repository root, beside the embedded database's `.data/pglite`. */
const defaultMailDir = fileURLToPath(new URL('../../../../.data/mail', import.meta.url));

/** How a service sends email: what `createMailer` takes. */
export type MailSettings =
  | { kind: 'smtp'; url: string; from: string }
  | { kind: 'eml-folder'; dir: string; from: string };

export function mailSettings(env: { SMTP_URL?: string | undefined; MAIL_FROM: string; MAIL_DIR: string }): MailSettings {
  return env.SMTP_URL
    ? { kind: 'smtp', url: env.SMTP_URL, from: env.MAIL_FROM }
    : { kind: 'eml-folder', dir: resolve(env.MAIL_DIR), from: env.MAIL_FROM };
}
