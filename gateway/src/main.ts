/** The gateway as its own process (one container in compose.yaml). */
import { runService } from '@token-nexus/shared';
import { loadGatewayConfig, startGateway } from './index.ts';

await runService(() => startGateway(loadGatewayConfig(process.env)));
