import { createHash, randomBytes } from 'node:crypto';

/**
 * The kinds of bearer secret the platform issues to programs, told apart by prefix so the
 * gateway knows where to verify one and secret scanners can recognize a leaked one.
 */
export const secretPrefixes = {
  apiKey: 'tnx_',
  oauthAccessToken: 'tnxo_',
  oauthRefreshToken: 'tnxor_',
  oauthClientSecret: 'tnxcs_',
  oauthCode: 'tnxac_',
} as const;

/** 256 random bits after the prefix, base64url: far beyond guessing. */
export function generateSecretToken(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/**
 * What is stored instead of a secret. A plain SHA-256 (no salt, no slow hash) is enough
 * here and on purpose: the secrets are random 256-bit values, so there is no dictionary to
 * try, and the hash must be an exact-match lookup key for every request.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
