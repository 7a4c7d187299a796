import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
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

/**
 * BENCH_BASELINE_DIR's checkout, labelled `baseline`; fails with a readable message unless
 * it is a checkout of this repository after its own `pnpm install`.
 */
export function baselineCheckout(dir: string): Checkout {
  const checkout = { label: 'baseline', dir: resolve(dir) };
  for (const needed of ['launcher/src/main.ts', 'node_modules']) {
    if (!existsSync(join(checkout.dir, needed))) {
      throw new Error(`BENCH_BASELINE_DIR: ${checkout.dir} has no ${needed} (a checkout of this repository, after its own pnpm install)`);
    }
  }
  return checkout;
}

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
