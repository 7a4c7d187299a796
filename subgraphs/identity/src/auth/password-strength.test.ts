import { describe, expect, test } from 'vitest';
import { passwordWeakness } from './password-strength.ts';

const grace = ['grace.hopper@example.com', 'Grace Hopper'];
const tooEasy = /^Password is too easy to guess(: .+|\.)$/;
/** A 128-character passphrase (cheap for zxcvbn to score, unlike 128 random characters). */
const longPassphrase = 'correct horse battery staple '.repeat(5).slice(0, 128);

describe('passwordWeakness', () => {
  test('accepts a strong passphrase', () => {
    expect(passwordWeakness('violet-tractor-umbrella-42', grace)).toBeNull();
  });

  test('accepts a random password of exactly 10 characters', () => {
    expect(passwordWeakness('k7#Vq!p2Zr', grace)).toBeNull();
  });

  test('refuses a password of 9 characters, saying how long it must be', () => {
    expect(passwordWeakness('k7#Vq!p2Z', grace)).toBe('Password must be at least 10 characters long.');
  });

  test('accepts a passphrase of exactly 128 characters', () => {
    expect(longPassphrase).toHaveLength(128);
    expect(passwordWeakness(longPassphrase, grace)).toBeNull();
  });

  test('refuses a password of 129 characters, saying the limit', () => {
    expect(passwordWeakness(`${longPassphrase}x`, grace)).toBe('Password must be at most 128 characters long.');
  });

  test.each(['password123', 'iloveyou123', 'Password1!'])('refuses the common password %s', (password) => {
    expect(passwordWeakness(password, grace)).toMatch(tooEasy);
  });

  test.each(['zxcvbnm,./', 'qwertyuiopasdfgh', '1qaz2wsx3edc'])('refuses the keyboard walk %s', (password) => {
    expect(passwordWeakness(password, grace)).toMatch(tooEasy);
  });

  test('says which pattern made a password easy to guess', () => {
    expect(passwordWeakness('zxcvbnm,./', grace)).toBe(
      'Password is too easy to guess: Straight rows of keys on your keyboard are easy to guess.',
    );
  });

  test('refuses a password containing the email local part, whatever its case', () => {
    expect(passwordWeakness('my-GRACE.HOPPER-rules-2024', grace)).toBe(
      'Password must not contain your email address or name.',
    );
  });

  test('refuses a password containing the display name', () => {
    expect(passwordWeakness('long live grace hopper!', grace)).toBe(
      'Password must not contain your email address or name.',
    );
  });

  test('refuses a password that is the display name written without its space', () => {
    expect(passwordWeakness('GraceHopper99!', grace)).not.toBeNull();
    expect(passwordWeakness('adalovelace!!', ['ada.lovelace@example.com', 'Ada Lovelace'])).not.toBeNull();
  });

  test('ignores names shorter than four characters when looking for personal information', () => {
    expect(passwordWeakness('violet-tractor-bob-umbrella', ['bo@example.com', 'Bo'])).toBeNull();
  });
});
