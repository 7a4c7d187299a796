import { createHmac, randomBytes } from 'node:crypto';
import { z } from 'zod';

/**
 * Signatures as the Standard Webhooks specification defines them
 * (https://www.standardwebhooks.com/, "Signature scheme"), so that receivers can check ours
 * with any of its libraries instead of code we would have to document.
 */

/** The prefix the specification gives symmetric secrets; the rest is standard base64. */
export const webhookSecretPrefix = 'whsec_';

/**
 * The specification asks for keys of 24 to 64 bytes. A shorter key is weak and a longer one
 * buys nothing with SHA-256 (HMAC hashes keys over 64 bytes down to 32 anyway).
 */
const minimumSecretBytes = 24;
const maximumSecretBytes = 64;
/** What `generateSecret` draws: 256 bits, the size of the HMAC-SHA256 output. */
const generatedSecretBytes = 32;

/**
 * A secret as stored and shown to the endpoint's owner: `whsec_` and the base64 of 24–64
 * bytes. Node's base64 decoder skips characters it does not know, so the alphabet and the
 * padding are checked here first: a secret mangled when pasted must fail, not sign with a
 * different key than the receiver holds.
 */
export const webhookSecretSchema = z
  .string()
  .regex(/^whsec_(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/, {
    message: 'A webhook secret is "whsec_" followed by standard base64 (A–Z, a–z, 0–9, +, /, = padding).',
    abort: true,
  })
  .refine(
    (secret) => {
      const length = secretKey(secret).length;
      return length >= minimumSecretBytes && length <= maximumSecretBytes;
    },
    { message: `A webhook secret decodes to ${minimumSecretBytes} to ${maximumSecretBytes} bytes.` },
  );

/** A secret that `webhookSecretSchema` refuses; the message never contains the secret. */
export class InvalidWebhookSecretError extends Error {
  override readonly name = 'InvalidWebhookSecretError';
}

/**
 * Header values travel as they are: an id with spaces, commas or control characters would
 * be split or refused by proxies, and the receiver signs the id it reads from the header.
 */
const messageIdSchema = z.string().regex(/^[\x21-\x7e]{1,256}$/, {
  message: 'A webhook id is 1 to 256 visible ASCII characters (no spaces).',
});

export interface SignPayloadInput {
  /** The message id, sent as `webhook-id`; the same for every attempt of one message. */
  id: string;
  /** Unix time in whole seconds, sent as `webhook-timestamp`. */
  timestamp: number;
  /** The exact body sent: one changed byte (re-serialised JSON, say) breaks the signature. */
  body: string;
  /**
   * The endpoint's secrets, `whsec_…`. Two during a rotation: every secret signs, so a
   * receiver that knows only the old one or only the new one accepts the message.
   */
  secrets: readonly string[];
}

/**
 * The `webhook-signature` header value: `v1,<base64 HMAC-SHA256>` of `id.timestamp.body`
 * for each secret, separated by spaces.
 *
 * @throws InvalidWebhookSecretError when a secret is malformed or there is none.
 * @throws RangeError when the id or timestamp cannot be sent as the specification requires.
 */
export function signPayload({ id, timestamp, body, secrets }: SignPayloadInput): string {
  if (!messageIdSchema.safeParse(id).success) {
    throw new RangeError('A webhook id is 1 to 256 visible ASCII characters (no spaces).');
  }
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new RangeError(`A webhook timestamp is whole seconds since the epoch, not ${timestamp}.`);
  }
  if (secrets.length === 0) throw new InvalidWebhookSecretError('An endpoint needs at least one secret to sign with.');
  const signedContent = `${id}.${timestamp}.${body}`;
  return secrets
    .map((secret, index) => {
      const parsed = webhookSecretSchema.safeParse(secret);
      if (!parsed.success) {
        throw new InvalidWebhookSecretError(`Webhook secret #${index + 1}: ${parsed.error.issues[0]?.message}`);
      }
      const mac = createHmac('sha256', secretKey(secret)).update(signedContent, 'utf8').digest('base64');
      return `v1,${mac}`;
    })
    .join(' ');
}

/** A new random secret, `whsec_` and the base64 of 32 bytes. */
export function generateSecret(): string {
  return `${webhookSecretPrefix}${randomBytes(generatedSecretBytes).toString('base64')}`;
}

function secretKey(secret: string): Buffer {
  return Buffer.from(secret.slice(webhookSecretPrefix.length), 'base64');
}
