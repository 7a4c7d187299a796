import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import { MailDeliveryError } from './mail-delivery-error.ts';
import { checkMailMessage } from './mail-message.ts';
import type { Mailer } from './mailer.ts';

/** Where and as whom the folder mailer writes. */
export interface EmlFolderMailerOptions {
  /** Created when missing. */
  dir: string;
  /** The From header, as for SMTP. */
  from: string;
}

/**
 * A mailer for a developer's machine: each message is rendered exactly as it would go
 * over SMTP (nodemailer's own MIME builder, CRLF line ends as RFC 5322 wants) and written
 * to `<dir>/<time>-<Message-ID>.eml`, which any mail client opens.
 *
 * A file appears whole or not at all: it is written under a temporary name (a dotfile,
 * not `.eml`, so nothing watching the folder picks it up early) and renamed when complete.
 * Names cannot collide: each Message-ID is a fresh UUID.
 */
export function createEmlFolderMailer({ dir, from }: EmlFolderMailerOptions): Mailer {
  const composer = createTransport({ streamTransport: true, buffer: true, newline: 'windows' }, { from });
  return {
    async send(message, options = {}) {
      const { to, subject, text, html } = checkMailMessage(message);
      try {
        const rendered = await composer.sendMail({ to, subject, text, html, signal: options.signal });
        const name = `${fileTimestamp(new Date())}-${fileSafe(rendered.messageId)}.eml`;
        await writeAtomically(dir, name, rendered.message as Buffer);
        return { messageId: rendered.messageId };
      } catch (error) {
        // A full disk or a missing permission is the machine's problem, not the message's.
        throw new MailDeliveryError(`Could not write the message to ${dir}: ${(error as Error).message}`, false, undefined, {
          cause: error,
        });
      }
    },
    async close() {
      composer.close();
    },
  };
}

async function writeAtomically(dir: string, name: string, contents: Buffer): Promise<void> {
  await mkdir(dir, { recursive: true });
  const temporary = join(dir, `.${name}.partial`);
  try {
    const file = await open(temporary, 'wx');
    try {
      await file.writeFile(contents);
      // On disk before the rename, so a crash cannot leave a complete name on empty content.
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, join(dir, name));
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** `2026-03-01T09-15-00.123Z`: sorts by time, and has no `:` (refused on Windows). */
function fileTimestamp(date: Date): string {
  return date.toISOString().replace(/:/g, '-');
}

/** `<uuid@host>` → `uuid@host`: only characters every file system takes. */
function fileSafe(messageId: string): string {
  return messageId.replace(/[^A-Za-z0-9@._-]+/g, '');
}
