/**
 * When to try a failed webhook delivery again. The schedule is Svix's (the one the
 * Standard Webhooks authors run): quick retries for a blip, then hours apart so an endpoint
 * that is down for a day still gets its messages, and at the end a dead letter instead of
 * retrying forever.
 */

const second = 1000;
const minute = 60 * second;
const hour = 60 * minute;

/**
 * The wait before each attempt, in milliseconds, before jitter: index 0 is attempt 1
 * (sent at once), index 7 attempt 8, the last. About 27.5 hours from first to last.
 */
export const webhookRetrySchedule: readonly number[] = Object.freeze([
  0,
  5 * second,
  5 * minute,
  30 * minute,
  2 * hour,
  5 * hour,
  10 * hour,
  10 * hour,
]);

/** How many times one message is sent at most before it becomes a dead letter. */
export const maxDeliveryAttempts = webhookRetrySchedule.length;

/**
 * Each wait is moved by up to this fraction either way, so that the messages of an
 * endpoint that failed together (an outage) do not all come back in the same second.
 */
export const retryJitterRatio = 0.1;

/**
 * The longest `Retry-After` honoured. A receiver asking for a week would otherwise park
 * the message past the whole schedule; beyond a day it is better to use up the attempts
 * and let the dead letter tell the owner.
 */
export const maxRetryAfterSeconds = 24 * 60 * 60;

export interface NextAttemptOptions {
  /**
   * What the failed attempt's `Retry-After` asked for (see `parseRetryAfter`), or null.
   * Honoured only when longer than the scheduled wait, capped at `maxRetryAfterSeconds`.
   * `scale` does not apply to it: it is the receiver's ask, not our schedule.
   */
  retryAfterSeconds?: number | null;
  /** Multiplies the schedule (tests run it at a thousandth); 1 by default. */
  scale?: number;
}

/**
 * Milliseconds to wait before the next attempt after attempt `attemptNumber` (1-based)
 * failed, or null when that was the last one and the message becomes a dead letter.
 * A `Retry-After` does not buy extra attempts.
 *
 * @throws RangeError for an attempt number that is not a positive integer, or a negative
 *   or non-finite scale: a caller's bug that would otherwise retry at once or never.
 */
export function nextAttemptDelay(attemptNumber: number, options: NextAttemptOptions = {}): number | null {
  if (!Number.isInteger(attemptNumber) || attemptNumber < 1) {
    throw new RangeError(`Attempt numbers start at 1, not ${attemptNumber}.`);
  }
  const scale = options.scale ?? 1;
  if (!Number.isFinite(scale) || scale < 0) throw new RangeError(`A schedule scale is a finite number ≥ 0, not ${scale}.`);

  const scheduled = webhookRetrySchedule[attemptNumber];
  if (scheduled === undefined) return null;

  const jitter = 1 + (Math.random() * 2 - 1) * retryJitterRatio;
  const delay = Math.max(0, Math.round(scheduled * scale * jitter));

  const retryAfter = options.retryAfterSeconds;
  if (retryAfter == null || !Number.isFinite(retryAfter) || retryAfter <= 0) return delay;
  return Math.max(delay, Math.min(retryAfter, maxRetryAfterSeconds) * second);
}

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const month = `(?<month>${months.join('|')})`;
const time = '(?<hours>\\d{2}):(?<minutes>\\d{2}):(?<seconds>\\d{2})';
/** The three forms RFC 9110 (section 5.6.7) asks recipients to accept, all in GMT. */
const httpDateForms = [
  // The preferred one: `Sun, 06 Nov 1994 08:49:37 GMT`.
  new RegExp(`^[A-Z][a-z]{2}, (?<day>\\d{2}) ${month} (?<year>\\d{4}) ${time} GMT$`),
  // RFC 850, obsolete: `Sunday, 06-Nov-94 08:49:37 GMT`.
  new RegExp(`^[A-Z][a-z]+, (?<day>\\d{2})-${month}-(?<year>\\d{2}) ${time} GMT$`),
  // asctime, obsolete: `Sun Nov  6 08:49:37 1994`.
  new RegExp(`^[A-Z][a-z]{2} ${month} (?<day>[ \\d]\\d) ${time} (?<year>\\d{4})$`),
];

/**
 * The seconds a `Retry-After` header value asks for (RFC 9110, section 10.2.3): a number of
 * seconds, or an HTTP date (rounded up, 0 when already past). Null when absent or not valid
 * (fractions, negative numbers, other date formats): a malformed hint is ignored, not
 * guessed at. `Date.parse` is not used because it reads the zone-less asctime form as
 * local time and accepts formats HTTP does not.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | null {
  const text = value?.trim();
  if (!text) return null;
  if (/^\d+$/.test(text)) return Number(text);

  const date = parseHttpDate(text, now);
  if (date === null) return null;
  return Math.max(0, Math.ceil((date - now) / second));
}

function parseHttpDate(text: string, now: number): number | null {
  const fields = httpDateForms.map((form) => form.exec(text)?.groups).find((groups) => groups !== undefined);
  if (!fields) return null;
  const [day, hours, minutes, seconds] = [fields.day, fields.hours, fields.minutes, fields.seconds].map(Number) as [
    number,
    number,
    number,
    number,
  ];
  let year = Number(fields.year);
  if (fields.year?.length === 2) {
    // RFC 9110: a two-digit year that would be more than 50 years ahead is in the past century.
    const currentYear = new Date(now).getUTCFullYear();
    year += Math.floor(currentYear / 100) * 100;
    if (year > currentYear + 50) year -= 100;
  }
  const timestamp = Date.UTC(year, months.indexOf(fields.month ?? ''), day, hours, minutes, seconds);
  // Date.UTC carries 31 Feb into March and 25:00 into the next day: such a date is malformed.
  const check = new Date(timestamp);
  if (check.getUTCDate() !== day || check.getUTCHours() !== hours || check.getUTCMinutes() !== minutes || seconds > 59) {
    return null;
  }
  return timestamp;
}
