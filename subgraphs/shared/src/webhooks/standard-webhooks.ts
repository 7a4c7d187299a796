import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * Signatures as the Standard Webhooks specification defines them
 * (https://www.standardwebhooks.com/, "Signature scheme"), so that receivers can check ours
 * with any of its libraries instead of code we would have to document, and so that we can
 * check messages sent to us by anyone who signs that way.
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
  return secrets
    .map((secret, index) => `v1,${signature(checkedSecretKey(secret, `Webhook secret #${index + 1}`), id, String(timestamp), body)}`)
    .join(' ');
}

/** How far a message's timestamp may be from our clock unless told otherwise: the specification's libraries' five minutes. */
export const defaultWebhookToleranceSeconds = 300;

export interface VerifyStandardWebhookInput {
  /** The `webhook-id` header as received (null or undefined when it is missing). */
  id: string | null | undefined;
  /** The `webhook-timestamp` header: Unix time in whole seconds, in decimal. */
  timestamp: string | null | undefined;
  /** The `webhook-signature` header: space-separated `v1,<base64>` signatures, of which one must match. */
  signatureHeader: string | null | undefined;
  /** The raw body as received: JSON parsed and serialised again may differ by a byte and fail. */
  body: string | Uint8Array;
  /** The secret shared with the sender, `whsec_…`. */
  secret: string;
  /** Our clock; the system's by default. */
  now?: Date;
  /** How far the timestamp may be before or after `now`, in seconds; 300 by default. */
  toleranceSeconds?: number;
}

/** A verification's answer; `reason` says what was wrong, for the sender's owner and our logs. */
export type StandardWebhookVerification = { ok: true } | { ok: false; reason: string };

/**
 * Checks an inbound Standard Webhooks message: a well-formed id and timestamp, a timestamp
 * within `toleranceSeconds` of `now` (so a captured message cannot be replayed later), and
 * a signature made with `secret` over exactly this id, timestamp and body. A sender in the
 * middle of a rotation signs with several secrets, so any one `v1` signature of the header
 * matching is enough; entries of other versions (`v1a`, asymmetric) are skipped, as the
 * specification asks. Signatures are compared in constant time.
 *
 * A forged, stale or malformed message is an answer (`ok: false`), not an exception: it is
 * the sender's fault and the caller answers it with a 4xx.
 *
 * @throws InvalidWebhookSecretError when `secret` is malformed: that is our configuration,
 *   and answering every message "bad signature" would hide it.
 * @throws RangeError when `toleranceSeconds` is negative or not a number.
 */
export function verifyStandardWebhook(input: VerifyStandardWebhookInput): StandardWebhookVerification {
  const { id, timestamp, signatureHeader, body, now = new Date(), toleranceSeconds = defaultWebhookToleranceSeconds } = input;
  if (!Number.isFinite(toleranceSeconds) || toleranceSeconds < 0) {
    throw new RangeError(`toleranceSeconds must be a number ≥ 0, not ${toleranceSeconds}`);
  }
  const key = checkedSecretKey(input.secret, 'The webhook secret');
  const refuse = (reason: string): StandardWebhookVerification => ({ ok: false, reason });

  if (!id) return refuse('the webhook-id header is missing');
  if (!messageIdSchema.safeParse(id).success) return refuse('the webhook-id header is not 1 to 256 visible ASCII characters');
  if (!timestamp) return refuse('the webhook-timestamp header is missing');
  // Canonical decimal only: the signature covers the header's text, and the specification's
  // libraries sign the number's own spelling, so `0123` or `1e9` would never verify anyway.
  if (!/^(0|[1-9][0-9]{0,14})$/.test(timestamp)) {
    return refuse('the webhook-timestamp header is not whole seconds since the epoch');
  }
  const age = Math.floor(now.getTime() / 1000) - Number(timestamp);
  if (age > toleranceSeconds) {
    return refuse(`the webhook-timestamp is ${age} s old, outside the ${toleranceSeconds} s tolerated (a replay, or a clock that is off)`);
  }
  if (-age > toleranceSeconds) {
    return refuse(`the webhook-timestamp is ${-age} s in the future, outside the ${toleranceSeconds} s tolerated (a clock that is off)`);
  }
  if (!signatureHeader) return refuse('the webhook-signature header is missing');

  const expected = Buffer.from(signature(key, id, timestamp, body), 'ascii');
  const candidates = signatureHeader
    .split(' ')
    .filter((entry) => entry.startsWith('v1,'))
    .map((entry) => Buffer.from(entry.slice('v1,'.length), 'ascii'));
  if (candidates.length === 0) return refuse('the webhook-signature header holds no v1,<base64> signature');
  // Every candidate is compared, a match or not, so the time taken says nothing about which one was close.
  let matched = false;
  for (const candidate of candidates) {
    if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) matched = true;
  }
  return matched ? { ok: true } : refuse('no signature in the webhook-signature header matches the secret and this body');
}

/** A new random secret, `whsec_` and the base64 of 32 bytes. */
export function generateSecret(): string {
  return `${webhookSecretPrefix}${randomBytes(generatedSecretBytes).toString('base64')}`;
}

function secretKey(secret: string): Buffer {
  return Buffer.from(secret.slice(webhookSecretPrefix.length), 'base64');
}

/** The key of a secret `webhookSecretSchema` accepts; `label` names the secret in the error. */
function checkedSecretKey(secret: string, label: string): Buffer {
  const parsed = webhookSecretSchema.safeParse(secret);
  if (!parsed.success) throw new InvalidWebhookSecretError(`${label}: ${parsed.error.issues[0]?.message}`);
  return secretKey(secret);
}

/** The base64 HMAC-SHA256 of `id.timestamp.body`, the body as its UTF-8 bytes. */
function signature(key: Buffer, id: string, timestamp: string, body: string | Uint8Array): string {
  const mac = createHmac('sha256', key).update(`${id}.${timestamp}.`, 'utf8');
  return (typeof body === 'string' ? mac.update(body, 'utf8') : mac.update(body)).digest('base64');
}
