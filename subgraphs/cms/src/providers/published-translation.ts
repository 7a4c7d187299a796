import type { Page, PrismaClient } from '@token-nexus/prisma';
import type { SiteSettingsModel } from '../models.ts';
import { siteSettingsOf } from './site-settings.ts';

/**
 * The language ranges RFC 4647 "lookup" tries, in order, without repeats: `requested` and
 * its truncations (`de-CH-1996` → `de-CH` → `de`; a single-letter subtag left at the end,
 * such as the `x` of a private use part, goes with the subtag after it), then each
 * fallback locale with its truncations, then the default locale. Without `requested`, the
 * lookup starts at the default locale (whose truncations come next: `en-GB` → `en`).
 */
export function lookupChain(requested: string | null, settings: Pick<SiteSettingsModel, 'defaultLocale' | 'fallbackLocales'>): string[] {
  const chain: string[] = [];
  const add = (tag: string) => {
    if (!chain.some((known) => known.toLowerCase() === tag.toLowerCase())) chain.push(tag);
  };
  for (const tag of [requested ?? settings.defaultLocale, ...settings.fallbackLocales, settings.defaultLocale]) {
    for (const range of truncations(tag)) add(range);
  }
  return chain;
}

/** A tag and its shorter forms, longest first, as RFC 4647 §3.4 truncates it. */
function truncations(tag: string): string[] {
  const subtags = tag.split('-');
  const ranges: string[] = [];
  while (subtags.length > 0) {
    ranges.push(subtags.join('-'));
    subtags.pop();
    while (subtags.length > 0 && subtags.at(-1)!.length === 1) subtags.pop();
  }
  return ranges;
}

/**
 * The translation to serve of `published` (the PUBLISHED pages at one address): the first
 * of `chain` that one of them is in; when none is, the one created first (the original,
 * usually), so that an address with published content never answers nothing.
 */
export function chooseTranslation<T extends Pick<Page, 'locale' | 'createdAt' | 'id'>>(published: readonly T[], chain: readonly string[]): T | null {
  for (const range of chain) {
    const match = published.find((page) => page.locale.toLowerCase() === range.toLowerCase());
    if (match) return match;
  }
  const byAge = [...published].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
  return byAge[0] ?? null;
}

/** Which translation of an address the public site serves, and which locales it has. */
export interface PublishedTranslation {
  page: Page;
  /** The locales published at the address, sorted. */
  availableLocales: string[];
}

/**
 * The PUBLISHED translation at `slug` best matching `requested` (see lookupChain and
 * chooseTranslation), or null when nothing is published there. The organization's settings
 * are read only when there is a choice to make: one published translation is served
 * whatever was asked, as before translations existed.
 */
export async function findPublishedTranslation(
  prisma: PrismaClient,
  organizationId: string,
  slug: string,
  requested: string | null,
): Promise<PublishedTranslation | null> {
  const published = await prisma.page.findMany({ where: { organizationId, slug, status: 'PUBLISHED' } });
  if (published.length === 0) return null;
  const availableLocales = published.map((page) => page.locale).sort();
  if (published.length === 1) return { page: published[0]!, availableLocales };
  const chain = lookupChain(requested, await siteSettingsOf(prisma, organizationId));
  return { page: chooseTranslation(published, chain)!, availableLocales };
}
