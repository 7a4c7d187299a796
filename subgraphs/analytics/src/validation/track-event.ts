import { languageTag } from '@token-nexus/shared';
import { z } from 'zod';

export const pageViewEvent = 'page_view';
export const maxEventBytes = 8 * 1024;
export const maxProperties = 50;
const maxAgeMs = 24 * 3_600_000;
const maxAheadMs = 5 * 60_000;

/**
 * A tracked event as `trackEvent` accepts it. Time bounds are checked against `now`, so
 * the schema is built per call.
 */
export function trackEventSchema(now: Date) {
  return z
    .object({
      name: z
        .string()
        .regex(
          /^[a-z][a-z0-9_.:-]{0,63}$/,
          'must start with a lower-case letter, then at most 63 lower-case letters, digits, _ . : or -',
        ),
      orgId: z.uuid('must be an organization id returned by this API').nullish(),
      orgSlug: z.string().min(1).max(100).nullish(),
      pageSlug: z.string().min(1).max(300).nullish(),
      // Checked here, naming the field, rather than by the cms as a page not found.
      locale: languageTag.nullish(),
      visitorId: z.string().min(1).max(128, 'must be at most 128 characters').nullish(),
      properties: z
        .record(z.string().max(100, 'property names are at most 100 characters'), z.unknown(), {
          message: 'must be a JSON object',
        })
        .refine((properties) => Object.keys(properties).length <= maxProperties, {
          message: `at most ${maxProperties} properties`,
        })
        .nullish(),
      timestamp: z.coerce
        .date({ message: 'must be a time' })
        .refine((at) => at.getTime() >= now.getTime() - maxAgeMs, { message: 'must be at most 24 hours ago' })
        .refine((at) => at.getTime() <= now.getTime() + maxAheadMs, { message: 'must be at most 5 minutes ahead' })
        .nullish(),
    })
    .refine((input) => Boolean(input.orgId) !== Boolean(input.orgSlug && input.pageSlug), {
      message: 'give either orgId, or orgSlug and pageSlug (a published page)',
      path: ['orgId'],
    })
    .refine((input) => input.name !== pageViewEvent || Boolean(input.orgSlug && input.pageSlug), {
      message: 'a page_view names its page: orgSlug and pageSlug',
      path: ['pageSlug'],
    })
    .refine((input) => !input.locale || Boolean(input.orgSlug && input.pageSlug), {
      message: 'a locale is that of a published page: give orgSlug and pageSlug with it',
      path: ['locale'],
    });
}

export type TrackEventInput = z.output<ReturnType<typeof trackEventSchema>>;
