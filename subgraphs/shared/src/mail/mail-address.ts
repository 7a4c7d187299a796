import addressparser from 'nodemailer/lib/addressparser';

/**
 * A bare address (`someone@example.com`) that can stand alone in a To header: no
 * whitespace or line break (which would end the header), no comma or semicolon (which
 * would add a recipient), no angle brackets, quotes or parentheses (which would change
 * what the header says). Stricter than RFC 5322 on purpose: the platform only writes to
 * addresses people signed up with, and a quoted local part is not worth the risk.
 */
export function isMailAddress(value: string): boolean {
  return /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+$/.test(value);
}

/**
 * Whether `value` is exactly one mailbox, with or without a display name
 * (`Token Nexus <no-reply@example.com>`), as a From header takes it. A value with a line
 * break is refused before parsing: the parser would read past it, the header would not.
 */
export function isSenderMailbox(value: string): boolean {
  if (/[\r\n]/.test(value)) return false;
  const parsed = addressparser(value);
  const [mailbox] = parsed;
  return parsed.length === 1 && mailbox?.group === undefined && isMailAddress(mailbox?.address ?? '');
}
