/** OpenGraph metadata as stored. */
export interface StoredOpenGraph {
  title: string | null;
  description: string | null;
  type: 'WEBSITE' | 'ARTICLE' | null;
  imageId: string | null;
}

/** A Twitter card as stored. */
export interface StoredTwitterCard {
  card: 'SUMMARY' | 'SUMMARY_LARGE_IMAGE';
  title: string | null;
  description: string | null;
  imageId: string | null;
  site: string | null;
  creator: string | null;
}

/** The SEO object of a page or revision, every field present (null when not set). */
export interface StoredSeo {
  title: string | null;
  description: string | null;
  image: string | null;
  imageId: string | null;
  canonicalUrl: string | null;
  openGraph: StoredOpenGraph | null;
  twitter: StoredTwitterCard | null;
  noIndex: boolean | null;
}

type Fields = Record<string, unknown>;

const objectOf = (value: unknown): Fields | null => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Fields) : null);
const text = (item: unknown) => (typeof item === 'string' ? item : null);
const oneOf = <T extends string>(item: unknown, values: readonly T[]): T | null => (values.includes(item as T) ? (item as T) : null);

/**
 * The SEO object of a stored page or revision, field by field. It was checked on the way
 * in (inputs.ts); reading it defensively means a row edited by hand, or one stored before
 * a field existed, shows a missing field rather than failing the whole page.
 */
export function seoOf(stored: unknown): StoredSeo {
  const value = objectOf(stored) ?? {};
  return {
    title: text(value.title),
    description: text(value.description),
    image: text(value.image),
    imageId: text(value.imageId),
    canonicalUrl: text(value.canonicalUrl),
    openGraph: openGraphOf(value.openGraph),
    twitter: twitterOf(value.twitter),
    noIndex: typeof value.noIndex === 'boolean' ? value.noIndex : null,
  };
}

function openGraphOf(stored: unknown): StoredOpenGraph | null {
  const value = objectOf(stored);
  if (!value) return null;
  return {
    title: text(value.title),
    description: text(value.description),
    type: oneOf(value.type, ['WEBSITE', 'ARTICLE'] as const),
    imageId: text(value.imageId),
  };
}

function twitterOf(stored: unknown): StoredTwitterCard | null {
  const value = objectOf(stored);
  const card = oneOf(value?.card, ['SUMMARY', 'SUMMARY_LARGE_IMAGE'] as const);
  if (!value || !card) return null;
  return {
    card,
    title: text(value.title),
    description: text(value.description),
    imageId: text(value.imageId),
    site: text(value.site),
    creator: text(value.creator),
  };
}

/** The media asset ids an SEO object names (its own image, OpenGraph's, Twitter's), once each. */
export function seoImageIds(seo: StoredSeo): string[] {
  return [...new Set([seo.imageId, seo.openGraph?.imageId, seo.twitter?.imageId].filter((id): id is string => typeof id === 'string'))];
}
