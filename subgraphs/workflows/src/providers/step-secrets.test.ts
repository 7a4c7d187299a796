import { KeyVault } from '@token-nexus/shared';
import { describe, expect, test } from 'vitest';
import type { StoredStep } from '../models.ts';
import { publicStep, revealSecretHeader, sealSecretHeaders } from './step-secrets.ts';

const keys = new KeyVault('a master key for the tests of step secrets only');

const request = (headers: unknown[]): StoredStep => ({
  key: 'call',
  type: 'httpRequest',
  input: { method: 'POST', url: 'https://x.example', headers },
  next: null,
  branches: null,
});

describe('secret headers', () => {
  test('are sealed to their workflow, step and header, and shown without a value', () => {
    const [sealed] = sealSecretHeaders(keys, 'w1', [request([{ name: 'Authorization', value: 'Bearer s3cret', secret: true }])]);
    const header = (sealed!.input.headers as any[])[0];
    expect(JSON.stringify(sealed)).not.toContain('s3cret');
    expect(revealSecretHeader(keys, 'w1', 'call', header)).toBe('Bearer s3cret');
    expect(() => revealSecretHeader(keys, 'w2', 'call', header)).toThrow();
    expect(publicStep(sealed!).input.headers).toEqual([{ name: 'Authorization', secret: true }]);
  });

  test('keep the stored value when sent back without one, and are refused when there is none to keep', () => {
    const before = sealSecretHeaders(keys, 'w1', [request([{ name: 'Authorization', value: 'Bearer s3cret', secret: true }])]);
    const [kept] = sealSecretHeaders(keys, 'w1', [request([{ name: 'authorization', secret: true }])], before);
    expect((kept!.input.headers as any[])[0].encryptedValue).toBe((before[0]!.input.headers as any[])[0].encryptedValue);
    expect(() => sealSecretHeaders(keys, 'w1', [request([{ name: 'X-Other', secret: true }])], before)).toThrow(/no stored secret to keep/);
  });
});
