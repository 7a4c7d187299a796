import { KeyVault } from '@token-nexus/shared';
import { describe, expect, test } from 'vitest';
import type { StoredHeader, StoredStep } from '../models.ts';
import { publicStep, revealSecretHeader, sealSecretHeaders } from './step-secrets.ts';

const keys = new KeyVault('a master key for the tests of step secrets only');

const request = (headers: unknown[]): StoredStep => ({
  key: 'call',
  type: 'httpRequest',
  input: { method: 'POST', url: 'https://x.example', headers },
  next: null,
  branches: null,
});

/** A step's headers as sealSecretHeaders leaves them. */
const headersOf = (step: StoredStep) => step.input.headers as StoredHeader[];
/** The sealed value of a step's first header (it must be secret). */
const sealedValue = (step: StoredStep) => {
  const header = headersOf(step)[0]!;
  if (!header.secret) throw new Error('expected a secret header');
  return header.encryptedValue;
};

describe('secret headers', () => {
  test('are sealed to their workflow, step and header, and shown without a value', () => {
    const [sealed] = sealSecretHeaders(keys, 'w1', [request([{ name: 'Authorization', value: 'Bearer s3cret', secret: true }])]);
    const header = headersOf(sealed!)[0]!;
    expect(JSON.stringify(sealed)).not.toContain('s3cret');
    expect(revealSecretHeader(keys, 'w1', 'call', header)).toBe('Bearer s3cret');
    expect(() => revealSecretHeader(keys, 'w2', 'call', header)).toThrow();
    expect(publicStep(sealed!).input.headers).toEqual([{ name: 'Authorization', secret: true }]);
  });

  test('keep the stored value when sent back without one, and are refused when there is none to keep', () => {
    const before = sealSecretHeaders(keys, 'w1', [request([{ name: 'Authorization', value: 'Bearer s3cret', secret: true }])]);
    const [kept] = sealSecretHeaders(keys, 'w1', [request([{ name: 'authorization', secret: true }])], before);
    expect(sealedValue(kept!)).toBe(sealedValue(before[0]!));
    expect(() => sealSecretHeaders(keys, 'w1', [request([{ name: 'X-Other', secret: true }])], before)).toThrow(/no stored secret to keep/);
  });
});
