import { isScope } from '@token-nexus/shared';
import { z } from 'zod';

/** An id this API returned (every id is a UUID). */
export const uuid = z.uuid('must be an id returned by this API');

/** At least one scope, each from `apiScopes`, without repeats. */
export const scopeList = z
  .array(z.string())
  .min(1, 'must name at least one scope')
  .max(50)
  .refine((names) => names.every(isScope), 'must be names from apiScopes')
  .transform((names) => [...new Set(names)].sort());

/** A name shown in lists: trimmed, 1 to 100 characters. */
export const displayName = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');
