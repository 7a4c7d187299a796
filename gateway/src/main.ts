/** The gateway as its own process (one container in compose.yaml). */
import { runService } from '@token-nexus/shared';
import { loadGatewayConfig, startGateway } from './index.ts';

await runService(
  () => startGateway(loadGatewayConfig(process.env)),
  // `kill -HUP` after deploying a new supergraph file: served without a restart.
  (gateway) => process.on('SIGHUP', () => void gateway.reloadSupergraph()),
);
