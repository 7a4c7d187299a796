import { createHash, randomBytes } from 'node:crypto';

/** A new refresh token: 256 random bits, prefixed so it is recognisable in leaks. */
export function generateRefreshToken(): string {
  return `tnx_rt_${randomBytes(32).toString('base64url')}`;
}

/**
 * Refresh tokens are stored only as SHA-256 hashes: the token is already high-entropy,
 * so a fast hash suffices, and a database leak does not reveal usable tokens.
 */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
