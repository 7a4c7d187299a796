import type { MailSettings } from '../config/mail-env.ts';
import { createEmlFolderMailer } from './eml-folder-mailer.ts';
import type { Mailer } from './mailer.ts';
import { createSmtpMailer } from './smtp-mailer.ts';

/** The mailer the configuration asks for: SMTP when SMTP_URL is set, else the `.eml` folder. */
export function createMailer(settings: MailSettings): Mailer {
  switch (settings.kind) {
    case 'smtp':
      return createSmtpMailer(settings);
    case 'eml-folder':
      return createEmlFolderMailer(settings);
  }
}
