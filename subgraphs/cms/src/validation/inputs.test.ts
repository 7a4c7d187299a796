import { describe, expect, test } from 'vitest';
import { locale, pageSlug, seo } from './inputs.ts';

describe('pageSlug', () => {
  test.each(['pricing', 'blog/launch-day', 'docs/v2/getting-started', 'a'])('accepts %s', (value) => {
    expect(pageSlug.safeParse(value).success).toBe(true);
  });

  test.each(['', 'Pricing', 'a//b', '/a', 'a/', '-a', 'a--b', 'a b', 'a_b', 'x'.repeat(201)])('refuses %j', (value) => {
    expect(pageSlug.safeParse(value).success).toBe(false);
  });
});

describe('locale', () => {
  test('stores a BCP 47 tag in canonical form', () => {
    expect(locale.parse('en')).toBe('en');
    expect(locale.parse('en-us')).toBe('en-US');
    expect(locale.parse('PT-br')).toBe('pt-BR');
    expect(locale.parse('zh-hant-tw')).toBe('zh-Hant-TW');
  });

  test.each(['e', 'en-', 'en_US', '', '12', 'x'.repeat(36)])('refuses %j', (value) => {
    expect(locale.safeParse(value).success).toBe(false);
  });
});

describe('seo', () => {
  test('keeps the fields that are set, trimmed, and drops nulls', () => {
    expect(seo.parse({ title: ' Launch ', description: null, noIndex: false })).toEqual({ title: 'Launch', noIndex: false });
  });

  test('refuses an image that is not an http(s) URL, and over-long text', () => {
    expect(seo.safeParse({ image: 'javascript:alert(1)' }).success).toBe(false);
    expect(seo.safeParse({ image: 'https://cdn.example.com/a.png' }).success).toBe(true);
    expect(seo.safeParse({ description: 'x'.repeat(501) }).success).toBe(false);
  });
});
