/** The gateway as its own process (one container in compose.yaml). */
import { ConfigError } from '@token-nexus/shared';
import { loadGatewayConfig, startGateway } from './index.ts';

try {
  const gateway = await startGateway(loadGatewayConfig(process.env));
  const stop = () => {
    gateway.close().then(() => process.exit(0), () => process.exit(1));
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
