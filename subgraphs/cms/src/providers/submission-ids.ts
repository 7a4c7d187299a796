import { randomBytes } from 'node:crypto';

/**
 * A new UUID version 7 (RFC 9562: 48 bits of Unix milliseconds, then random bits), the kind
 * of id Postgres gives every row here. Leads take theirs from this function rather than
 * the database so that the receipt a bot gets for a honeypot submission, which is never
 * stored, carries an id of exactly the same kind as a real one.
 */
export function newSubmissionId(now = Date.now()): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
