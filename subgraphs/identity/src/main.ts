/** The identity subgraph as its own process (one container in compose.yaml). */
import { ConfigError } from '@token-nexus/shared';
import { loadIdentityConfig, startIdentity } from './index.ts';

try {
  const identity = await startIdentity(loadIdentityConfig(process.env));
  const stop = () => {
    identity.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
