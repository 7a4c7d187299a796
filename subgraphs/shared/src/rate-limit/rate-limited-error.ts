import { ApiError } from '../errors/errors.ts';

/** A field over its @rateLimit: null, with when to try again. */
export class RateLimitedError extends ApiError {
  constructor(limit: number, window: string, retryAfterSeconds: number) {
    super('RATE_LIMITED', `Too many requests: at most ${limit} per ${window}. Try again in ${retryAfterSeconds} s.`, {
      rateLimit: { limit, window, retryAfter: retryAfterSeconds },
    });
  }
}
