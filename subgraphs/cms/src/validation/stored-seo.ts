import type { PageSeo } from '../__generated__/resolvers-types.ts';

/**
 * The SEO object of a stored page or revision, field by field. It was checked on the way
 * in (inputs.ts); reading it defensively means a row edited by hand shows a missing field
 * rather than failing the whole page.
 */
export function seoOf(stored: unknown): PageSeo {
  const value = typeof stored === 'object' && stored !== null ? (stored as Record<string, unknown>) : {};
  const text = (item: unknown) => (typeof item === 'string' ? item : null);
  return {
    title: text(value.title),
    description: text(value.description),
    image: text(value.image),
    noIndex: typeof value.noIndex === 'boolean' ? value.noIndex : null,
  };
}
