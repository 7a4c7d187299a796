import { languageTag } from '@token-nexus/shared';
import { z } from 'zod';
import { formComponentName } from './form-definition.ts';
import { componentName } from './page-document.ts';

/** An id this API handed out (every id here is a UUID). */
export const uuid = z.uuid('must be an id returned by this API');

/**
 * A page's path on the public site: `/`-separated segments of lower-case letters, digits
 * and single hyphens (`pricing`, `blog/launch-day`).
 */
export const pageSlug = z
  .string()
  .max(200, 'must be at most 200 characters')
  .regex(
    /^[a-z0-9]+(?:-[a-z0-9]+)*(?:\/[a-z0-9]+(?:-[a-z0-9]+)*)*$/,
    'must be lower-case letters, digits and single hyphens, in segments separated by "/"',
  );

/** A page's title, trimmed. */
export const pageTitle = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters');

/**
 * A BCP 47 language tag, stored in its canonical form (`en-us` → `en-US`) so that
 * filtering by locale finds a page however its tag was typed (shared: analytics reads
 * `trackEvent`'s locale the same way).
 */
export const locale = languageTag;

const httpUrl = z
  .string()
  .max(2048, 'must be at most 2048 characters')
  .refine((value) => {
    try {
      return ['http:', 'https:'].includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }, 'must be an http(s) URL');

const seoTitle = z.string().trim().max(200, 'must be at most 200 characters');
const seoDescription = z.string().trim().max(500, 'must be at most 500 characters');
/** A media asset's id; that it names a READY asset of the organization is checked apart (seo-media-check.ts). */
const mediaAssetId = uuid;
/** A Twitter @username: `@` and 1–15 letters, digits or `_`. */
const twitterHandle = z.string().regex(/^@[A-Za-z0-9_]{1,15}$/, 'must be a Twitter @username, e.g. "@acme"');

/** Drops the fields that are null: GraphQL nulls mean "not set" and are not stored. */
function withoutNulls<T extends Record<string, unknown>>(value: T): Partial<{ [K in keyof T]: NonNullable<T[K]> }> {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item != null)) as Partial<{ [K in keyof T]: NonNullable<T[K]> }>;
}

/** OpenGraph metadata (`og:*`). */
const openGraph = z
  .object({
    title: seoTitle.nullish(),
    description: seoDescription.nullish(),
    type: z.enum(['WEBSITE', 'ARTICLE']).nullish(),
    imageId: mediaAssetId.nullish(),
  })
  .transform(withoutNulls);

/** A Twitter card (`twitter:*`); its kind is required. */
const twitterCard = z
  .object({
    card: z.enum(['SUMMARY', 'SUMMARY_LARGE_IMAGE']),
    title: seoTitle.nullish(),
    description: seoDescription.nullish(),
    imageId: mediaAssetId.nullish(),
    site: twitterHandle.nullish(),
    creator: twitterHandle.nullish(),
  })
  .transform(withoutNulls);

/**
 * Search-engine metadata, stored as one JSON object on the page and each revision. Rows
 * stored before a field existed simply lack it (stored-seo.ts reads them).
 */
export const seo = z
  .object({
    title: seoTitle.nullish(),
    description: seoDescription.nullish(),
    image: httpUrl.nullish(),
    imageId: mediaAssetId.nullish(),
    canonicalUrl: httpUrl.nullish(),
    openGraph: openGraph.nullish(),
    twitter: twitterCard.nullish(),
    noIndex: z.boolean().nullish(),
  })
  .transform(withoutNulls);

/** Parsed search-engine metadata, as stored. */
export type SeoInput = z.output<typeof seo>;

/** PAGE or POST, as in the schema. */
export const pageKind = z.enum(['PAGE', 'POST']);
/** DRAFT, PUBLISHED or ARCHIVED, as in the schema. */
export const pageStatus = z.enum(['DRAFT', 'PUBLISHED', 'ARCHIVED']);

/** `pages(filter:)` and `Organization.pages(filter:)`; the locale is matched in canonical form. */
export const pageFilter = z
  .object({
    kind: pageKind.nullish(),
    status: pageStatus.nullish(),
    locale: locale.nullish(),
    search: z.string().trim().max(100, 'must be at most 100 characters').nullish(),
  })
  .nullish();

/** A parsed page filter. */
export type PageFilter = NonNullable<z.output<typeof pageFilter>>;

/** The document is checked on its own (see page-document.ts), where errors name nodes. */
export const createPageInput = z.object({
  orgId: uuid,
  kind: pageKind.nullish(),
  slug: pageSlug,
  title: pageTitle,
  locale: locale.nullish(),
  seo: seo.nullish(),
  document: z.unknown().optional(),
  templateId: uuid.nullish(),
});

/** Omitted fields stay as they are; null is refused rather than read as "clear it". */
export const updatePageInput = z.object({
  title: pageTitle.optional(),
  slug: pageSlug.optional(),
  locale: locale.optional(),
  seo: seo.optional(),
  document: z.unknown().optional(),
});

/** The document version a client loaded (`updatePage`'s optimistic check). */
export const version = z.number().int().min(1, 'must be a version returned by this API');
/** A revision's number in its page. */
export const revisionNumber = z.number().int().min(1, 'must be a revision number returned by this API');

const componentDescription = z.string().trim().max(1000, 'must be at most 1000 characters');

/** The props schema is checked on its own (see props-schema.ts). */
export const createComponentInput = z.object({
  orgId: uuid,
  // Documents' `form` nodes are the built-in form component's, whatever the library holds.
  name: componentName.refine((name) => name !== formComponentName, `"${formComponentName}" is the built-in form component's name`),
  description: componentDescription.nullish(),
  propsSchema: z.unknown().optional(),
});

/** Omitted fields stay as they are; a component's name never changes. */
export const updateComponentInput = z.object({
  description: componentDescription.optional(),
  propsSchema: z.unknown().optional(),
});

/** The document is checked on its own, like a page's. */
export const createTemplateInput = z.object({
  orgId: uuid,
  name: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  document: z.unknown().optional(),
});
