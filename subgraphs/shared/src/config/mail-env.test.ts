import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ConfigError, loadEnv, type Environment } from './load-env.ts';
import { mailEnv, mailSettings } from './mail-env.ts';

function settingsFor(env: Environment) {
  return mailSettings(loadEnv(env, mailEnv));
}

function problemsOf(env: Environment) {
  try {
    settingsFor(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('mail configuration', () => {
  test('writes .eml files to .data/mail from a localhost sender when nothing is set', () => {
    expect(settingsFor({})).toEqual({
      kind: 'eml-folder',
      dir: expect.stringMatching(/[/\\]\.data[/\\]mail$/),
      from: 'Token Nexus <no-reply@localhost>',
    });
  });

  test('resolves a relative MAIL_DIR', () => {
    expect(settingsFor({ MAIL_DIR: 'tmp/mail' })).toMatchObject({ dir: resolve('tmp/mail') });
  });

  test('sends through SMTP_URL when it is set', () => {
    expect(settingsFor({ SMTP_URL: 'smtps://user:pass@smtp.example.com:465', MAIL_FROM: 'ops@example.com' })).toEqual({
      kind: 'smtp',
      url: 'smtps://user:pass@smtp.example.com:465',
      from: 'ops@example.com',
    });
  });

  test('requires SMTP_URL and MAIL_FROM in production', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([
      { variable: 'SMTP_URL', message: 'is required in production' },
      { variable: 'MAIL_FROM', message: 'is required in production (e.g. "Token Nexus <no-reply@example.com>")' },
    ]);
  });

  test.each([
    ['SMTP_URL', 'https://smtp.example.com'],
    ['SMTP_URL', 'smtp.example.com:587'],
    ['MAIL_FROM', 'ops@example.com, ceo@example.com'],
    ['MAIL_FROM', 'Ops <ops@example.com>\r\nBcc: everyone@example.com'],
    ['MAIL_FROM', 'Ops'],
  ])('refuses %s=%j', (variable, value) => {
    expect(problemsOf({ [variable]: value }).map((problem) => problem.variable)).toEqual([variable]);
  });
});
