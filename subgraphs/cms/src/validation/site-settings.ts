import { z } from 'zod';
import { locale } from './inputs.ts';

/** The longest fallback chain: enough for any sensible site, short enough to try per request. */
export const maxFallbackLocales = 10;

/**
 * `updateSiteSettings(input:)`: tags are canonicalised like a page's `locale` (`de-ch` →
 * `de-CH`), so a duplicate is found however each was typed.
 */
export const siteSettingsInput = z.object({
  defaultLocale: locale,
  fallbackLocales: z
    .array(locale)
    .max(maxFallbackLocales, `must list at most ${maxFallbackLocales} locales`)
    .refine((tags) => new Set(tags).size === tags.length, 'must not list a locale twice'),
});
