import { describe, expect, test } from 'vitest';
import { chooseTranslation, lookupChain } from './published-translation.ts';

describe('lookupChain (RFC 4647 lookup)', () => {
  test('the tag and its truncations, each fallback with its truncations, then the default, without repeats', () => {
    expect(lookupChain('de-CH-1996', { defaultLocale: 'en-GB', fallbackLocales: ['fr-CA', 'de'] })).toEqual([
      'de-CH-1996',
      'de-CH',
      'de',
      'fr-CA',
      'fr',
      'en-GB',
      'en',
    ]);
  });

  test('a single-letter subtag left at the end goes with the subtag after it', () => {
    expect(lookupChain('zh-Hant-CN-x-private1-private2', { defaultLocale: 'en', fallbackLocales: [] })).toEqual([
      'zh-Hant-CN-x-private1-private2',
      'zh-Hant-CN-x-private1',
      'zh-Hant-CN',
      'zh-Hant',
      'zh',
      'en',
    ]);
  });

  test('without a requested tag it starts at the default locale', () => {
    expect(lookupChain(null, { defaultLocale: 'pt-BR', fallbackLocales: ['es'] })).toEqual(['pt-BR', 'pt', 'es']);
  });
});

describe('chooseTranslation', () => {
  const page = (locale: string, createdAt: string, id = locale) => ({ id, locale, createdAt: new Date(createdAt) });
  const published = [page('fr', '2026-01-02'), page('de', '2026-01-03'), page('it', '2026-01-01')];

  test('the first range of the chain that a translation is in', () => {
    expect(chooseTranslation(published, ['de-CH', 'de', 'fr'])?.locale).toBe('de');
  });

  test('the oldest translation when no range matches, and null when nothing is published', () => {
    expect(chooseTranslation(published, ['ja', 'en'])?.locale).toBe('it');
    expect(chooseTranslation([], ['en'])).toBeNull();
  });
});
