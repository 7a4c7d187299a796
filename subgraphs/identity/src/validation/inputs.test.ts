import { describe, expect, test } from 'vitest';
import { createOrganizationInput, email, settings, signUpInput, slug } from './inputs.ts';

const slugMessage =
  'must be 3 to 63 lower-case letters, digits or single hyphens, starting and ending with a letter or digit';

describe('slug', () => {
  test.each([
    ['3 characters', 'abc'],
    ['3 characters with a hyphen', 'a-b'],
    ['63 characters', 'a'.repeat(63)],
    ['digits and single hyphens', 'acme-42-labs'],
  ])('accepts %s', (_, value) => {
    expect(slug.parse(value)).toBe(value);
  });

  test.each([
    ['2 characters', 'ab'],
    ['64 characters', 'a'.repeat(64)],
    ['a leading hyphen', '-acme'],
    ['a trailing hyphen', 'acme-'],
    ['a double hyphen', 'acme--labs'],
    ['upper-case letters', 'Acme'],
    ['an underscore', 'acme_labs'],
    ['an empty string', ''],
  ])('refuses %s', (_, value) => {
    expect(slug.safeParse(value).error?.issues.map((issue) => issue.message)).toEqual([slugMessage]);
  });
});

describe('email', () => {
  test('trims and lower-cases an address', () => {
    expect(email.parse('  Grace.Hopper@Example.COM \n')).toBe('grace.hopper@example.com');
  });

  test('refuses something that is not an address', () => {
    expect(email.safeParse('grace.hopper').error?.issues[0]?.message).toBe('must be a valid email address');
  });

  test('refuses an address longer than 254 characters', () => {
    const long = `${'a'.repeat(64)}@${'b'.repeat(186)}.com`;
    expect(long).toHaveLength(255);
    expect(email.safeParse(long).error?.issues[0]?.message).toBe('must be at most 254 characters');
  });
});

describe('input objects', () => {
  test('sign-up input normalises the email and trims the display name', () => {
    expect(signUpInput.parse({ email: ' Ada@Example.com', password: ' keep spaces ', displayName: ' Ada ' })).toEqual({
      email: 'ada@example.com',
      password: ' keep spaces ',
      displayName: 'Ada',
    });
  });

  test('sign-up input refuses a blank display name', () => {
    const result = signUpInput.safeParse({ email: 'ada@example.com', password: 'x', displayName: '   ' });
    expect(result.error?.issues[0]).toMatchObject({ path: ['displayName'], message: 'must not be empty' });
  });

  test('organization input accepts a minimal valid organization', () => {
    expect(createOrganizationInput.parse({ name: ' Acme ', slug: 'acme' })).toEqual({ name: 'Acme', slug: 'acme' });
  });

  test('organization input refuses a parent id that is not a UUID', () => {
    const result = createOrganizationInput.safeParse({ name: 'Acme', slug: 'acme', parentId: '42' });
    expect(result.error?.issues[0]).toMatchObject({ path: ['parentId'], message: 'must be an id returned by this API' });
  });

  test('settings refuse more than 64 KiB of JSON', () => {
    expect(settings.safeParse({ blob: 'x'.repeat(64 * 1024) }).error?.issues[0]?.message).toBe(
      'must be at most 64 KiB of JSON',
    );
  });
});
