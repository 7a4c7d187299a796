import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runEntryPoint } from '@token-nexus/test/testkit/run-entry-point';

/** A checkout of this repository (with its own `pnpm install`) whose graph a run measures. */
export interface Checkout {
  /** How reports name it: `current`, `baseline`. */
  label: string;
  dir: string;
}

/** This repository. */
export const currentCheckout: Checkout = { label: 'current', dir: resolve(fileURLToPath(new URL('../../', import.meta.url))) };

/** Applies `checkout`'s migrations to the database, with its own `pnpm migrate` entry point. */
export async function migrateDatabase(checkout: Checkout, databaseUrl: string): Promise<void> {
  await runOperatorCommand(checkout, 'prisma/src/cli/migrate.ts', [], databaseUrl);
}

/** Makes the user with `email` a SYSTEM_ADMIN, as an operator does, with `checkout`'s own command. */
export async function grantSystemAdmin(checkout: Checkout, databaseUrl: string, email: string): Promise<void> {
  await runOperatorCommand(checkout, 'subgraphs/identity/src/cli/grant-system-admin.ts', [email], databaseUrl);
}

async function runOperatorCommand(checkout: Checkout, entry: string, args: string[], databaseUrl: string): Promise<void> {
  const result = await runEntryPoint(entry, args, { DATABASE_URL: databaseUrl }, { cwd: checkout.dir });
  if (result.code !== 0) {
    throw new Error(`${entry} failed in the ${checkout.label} checkout (${checkout.dir}):\n${result.stderr || result.stdout}`);
  }
}
