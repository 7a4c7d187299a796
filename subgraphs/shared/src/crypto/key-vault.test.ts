import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { KeyVault } from './key-vault.ts';

const deployerKeyBinding = (organizationId: string, chainId: number) => `deployer:${organizationId}:${chainId}`;

describe('the key vault', () => {
  const vault = new KeyVault('a master key of at least thirty-two characters');
  const key = `0x${randomBytes(32).toString('hex')}`;
  const binding = deployerKeyBinding('0193a4b2-0000-7000-8000-000000000001', 1337);

  test('round-trips a key, never storing it in clear, with a fresh IV each time', () => {
    const stored = vault.encrypt(key, binding);
    expect(stored).toMatch(/^v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
    expect(stored).not.toContain(key.slice(2));
    expect(Buffer.from(stored.split(':')[3]!, 'base64').toString('hex')).not.toContain(key.slice(2));
    expect(vault.encrypt(key, binding)).not.toBe(stored);
    expect(vault.decrypt(stored, binding)).toBe(key);
  });

  test('refuses a tampered ciphertext, another binding (a row copied elsewhere) and another master key', () => {
    const stored = vault.encrypt(key, binding);
    const [version, iv, tag, ciphertext] = stored.split(':');
    const flipped = Buffer.from(ciphertext!, 'base64');
    flipped[0]! ^= 1;
    expect(() => vault.decrypt([version, iv, tag, flipped.toString('base64')].join(':'), binding)).toThrow();
    expect(() => vault.decrypt(stored, deployerKeyBinding('0193a4b2-0000-7000-8000-000000000002', 1337))).toThrow();
    expect(() => vault.decrypt(stored, deployerKeyBinding('0193a4b2-0000-7000-8000-000000000001', 1))).toThrow();
    expect(() => new KeyVault('another master key of thirty-two characters').decrypt(stored, binding)).toThrow();
    expect(() => vault.decrypt('v0:x:y:z', binding)).toThrow('unreadable secret');
  });
});
