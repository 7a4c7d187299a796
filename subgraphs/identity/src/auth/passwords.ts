import { hash, verify, type Algorithm } from '@node-rs/argon2';

/** `Algorithm.Argon2id`: the package declares a const enum, which isolated modules cannot read. */
const argon2id = 2 as Algorithm.Argon2id;

/**
 * argon2id with OWASP's recommended minimum cost (19 MiB, 2 passes, 1 lane): about
 * 20-30 ms per hash here, costly enough for an offline attacker, cheap enough for sign-in.
 */
const options = {
  algorithm: argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let decoy: Promise<string> | undefined;

/**
 * Spends the time a real verification would, for sign-in attempts with an unknown email,
 * so response times do not tell which emails have accounts.
 */
export async function verifyAgainstDecoy(password: string): Promise<false> {
  decoy ??= hashPassword('decoy password that never matches anything');
  await verifyPassword(await decoy, password);
  return false;
}
