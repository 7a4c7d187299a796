import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Encrypts secrets at rest (deployer keys, AI provider keys): AES-256-GCM under the
 * SHA-256 of a master key, a fresh 96-bit IV per secret, and what the secret belongs to
 * as additional data (`boundTo`), so a ciphertext copied onto another row does not
 * decrypt. Stored as `v1:<iv>:<tag>:<ciphertext>` in base64; the version leaves room to
 * rotate the scheme.
 */
export class KeyVault {
  private readonly key: Buffer;

  constructor(masterKey: string) {
    this.key = createHash('sha256').update(masterKey, 'utf8').digest();
  }

  encrypt(plaintext: string, boundTo: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(boundTo, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', iv, cipher.getAuthTag(), ciphertext].map((part) => (typeof part === 'string' ? part : part.toString('base64'))).join(':');
  }

  /** Throws when the ciphertext was tampered with, or belongs to something else. */
  decrypt(stored: string, boundTo: string): string {
    const [version, iv, tag, ciphertext] = stored.split(':');
    if (version !== 'v1' || !iv || !tag || !ciphertext) throw new Error('unreadable secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64'));
    decipher.setAAD(Buffer.from(boundTo, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]).toString('utf8');
  }
}
