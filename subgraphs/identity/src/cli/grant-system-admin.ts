/**
 * `pnpm --filter @token-nexus/identity grant-system-admin <email> [--revoke]`
 *
 * Grants (or takes away) the platform-wide SYSTEM_ADMIN role. Deliberately not a GraphQL
 * mutation: the first administrator has to come from somewhere, and whoever runs this has
 * the database credentials anyway. With REDIS_URL (and the deployment's
 * EVENT_CHANNEL_PREFIX) it also invalidates what gateways cached for the user, whose
 * permissions just changed.
 */
import { openDatabase } from '@token-nexus/prisma';
import {
  ConfigError,
  cacheTag,
  createCacheTagVersions,
  createLogger,
  databaseEnv,
  databaseSettings,
  loadEnv,
  serviceEnv,
} from '@token-nexus/shared';
import { email as emailSchema } from '../validation/inputs.ts';

const [rawEmail, flag] = process.argv.slice(2);
const parsed = emailSchema.safeParse(rawEmail);
if (!parsed.success || (flag !== undefined && flag !== '--revoke')) {
  console.error('usage: grant-system-admin <email> [--revoke]');
  process.exit(2);
}
const granted = flag !== '--revoke';

try {
  const vars = loadEnv(process.env, (context) => {
    const { REDIS_URL, EVENT_CHANNEL_PREFIX } = serviceEnv(context);
    return { ...databaseEnv(context), REDIS_URL, EVENT_CHANNEL_PREFIX };
  });
  const database = await openDatabase(databaseSettings(vars));
  const versions = vars.REDIS_URL
    ? createCacheTagVersions({ redisUrl: vars.REDIS_URL, keyPrefix: vars.EVENT_CHANNEL_PREFIX, service: 'identity-cli', logger: createLogger('grant-system-admin', 'warn') })
    : null;
  try {
    const user = await database.prisma.user.findUnique({ where: { email: parsed.data } });
    if (!user) {
      console.error(`No user has the email ${parsed.data}.`);
      process.exitCode = 1;
    } else {
      await database.prisma.user.update({ where: { id: user.id }, data: { isSystemAdmin: granted } });
      await versions?.bump([cacheTag.actor(`user:${user.id}`), cacheTag.entity('User', user.id)]);
      console.log(`${parsed.data} is ${granted ? 'now' : 'no longer'} a SYSTEM_ADMIN.`);
    }
  } finally {
    await database.close();
    await versions?.close();
  }
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
