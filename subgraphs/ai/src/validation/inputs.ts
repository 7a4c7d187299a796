import { z } from 'zod';

/** An id this API handed out (every id here is a UUID). */
export const uuid = z.uuid('must be an id returned by this API');

export const title = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');

/** A message's text: not empty, and small enough to send a provider. */
export const messageContent = z.string().trim().min(1, 'must not be empty').max(16_000, 'must be at most 16,000 characters');

export const modelName = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');

/** How much of a reply's text a subscriber already has. */
export const streamOffset = z.number().int().min(0, 'must be 0 or more');
