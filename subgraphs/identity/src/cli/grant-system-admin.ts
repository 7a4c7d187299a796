/**
 * `pnpm --filter @token-nexus/identity grant-system-admin <email> [--revoke]`
 *
 * Grants (or takes away) the platform-wide SYSTEM_ADMIN role. Deliberately not a GraphQL
 * mutation: the first administrator has to come from somewhere, and whoever runs this has
 * the database credentials anyway.
 */
import { openDatabase } from '@token-nexus/prisma';
import { ConfigError, databaseEnv, databaseSettings, loadEnv } from '@token-nexus/shared';
import { email as emailSchema } from '../validation/inputs.ts';

const [rawEmail, flag] = process.argv.slice(2);
const parsed = emailSchema.safeParse(rawEmail);
if (!parsed.success || (flag !== undefined && flag !== '--revoke')) {
  console.error('usage: grant-system-admin <email> [--revoke]');
  process.exit(2);
}
const granted = flag !== '--revoke';

try {
  const database = await openDatabase(databaseSettings(loadEnv(process.env, databaseEnv)));
  try {
    const { count } = await database.prisma.user.updateMany({
      where: { email: parsed.data },
      data: { isSystemAdmin: granted },
    });
    if (count === 0) {
      console.error(`No user has the email ${parsed.data}.`);
      process.exitCode = 1;
    } else {
      console.log(`${parsed.data} is ${granted ? 'now' : 'no longer'} a SYSTEM_ADMIN.`);
    }
  } finally {
    await database.close();
  }
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
